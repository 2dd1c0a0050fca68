/**
 * changeMessage is how every Settings tab says a create, update or delete
 * succeeded, in one toast: what, its name, what happened, e.g.
 * changeMessage('Role', 'Support', 'created') is “Role “Support” created.”.
 */
export function changeMessage(what: string, name: string, happened: string): string {
  return `${what} “${name}” ${happened}.`;
}

import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useMutation } from 'urql';
import { z } from '../../forms/zod';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { showMutationError } from '../../graphql/formErrors';
import { Dialog } from '../../ui/Dialog';
import { FormDialogActions } from '../../ui/DialogActions';
import { TextField } from '../../ui/TextField';
import { changeMessage } from '../../ui/changeMessage';
import { useToast } from '../../ui/toast';
import { RedirectUriNote } from './RedirectUriNote';

export const OidcProviderFormDialog_OidcProviderFragment = graphql(`
  fragment OidcProviderFormDialog_OidcProvider on OidcProvider {
    id
    name
    issuer
    clientId
    hasClientSecret
    scopes
  }
`);

const CreateOidcProviderMutation = graphql(`
  mutation CreateOidcProvider($input: CreateOidcProviderInput!) {
    createOidcProvider(input: $input) {
      oidcProvider {
        id
      }
    }
  }
`);

const UpdateOidcProviderMutation = graphql(`
  mutation UpdateOidcProvider($input: UpdateOidcProviderInput!) {
    updateOidcProvider(input: $input) {
      oidcProvider {
        id
        ...OidcProviderFormDialog_OidcProvider
      }
    }
  }
`);

const LinkNewOidcProviderMutation = graphql(`
  mutation LinkNewOidcProvider($input: AddOidcProviderToOrganizationInput!) {
    addOidcProviderToOrganization(input: $input) {
      oidcProvider {
        id
      }
    }
  }
`);

const loopbackHosts = ['localhost', '127.0.0.1', '[::1]'];

/** isIssuerUrl mirrors the server: an absolute https URL (plain http only on this machine), no query or fragment. */
function isIssuerUrl(value: string): boolean {
  try {
    const url = new URL(value);
    const scheme = url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.includes(url.hostname));
    return scheme && !url.username && !url.password && !url.search && !url.hash && !/[?#]$/.test(value);
  } catch {
    return false;
  }
}

// The server's rules for a provider, checked here first to answer sooner.
const schema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(64, 'Use at most 64 characters'),
  issuer: z
    .string()
    .trim()
    .refine(isIssuerUrl, 'Enter the provider’s https:// URL, like https://accounts.example.com'),
  clientId: z.string().trim().min(1, 'Enter the client ID').max(512, 'Use at most 512 characters'),
  clientSecret: z.string().trim().max(1024, 'Use at most 1024 characters'),
  removeClientSecret: z.boolean(),
  scopes: z
    .string()
    .refine(
      (scopes) => scopes.split(/\s+/).every((s) => s === '' || /^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/.test(s)),
      'Use scope names separated by spaces',
    ),
  linkToOrganization: z.boolean(),
});
type OidcProviderForm = z.infer<typeof schema>;

interface OidcProviderFormDialogProps {
  /** provider is the provider to edit; without it the dialog adds one. */
  provider?: FragmentType<typeof OidcProviderFormDialog_OidcProviderFragment>;
  onClose: () => void;
  onSaved: () => void;
}

/**
 * OidcProviderFormDialog adds an OpenID Connect provider (linking it to this
 * organization if asked) or edits one. The client secret is write-only.
 */
export function OidcProviderFormDialog({ provider: providerRef, onClose, onSaved }: OidcProviderFormDialogProps) {
  const provider = getFragmentData(OidcProviderFormDialog_OidcProviderFragment, providerRef);
  const toast = useToast();
  const [, createProvider] = useMutation(CreateOidcProviderMutation);
  const [, updateProvider] = useMutation(UpdateOidcProviderMutation);
  const [, linkProvider] = useMutation(LinkNewOidcProviderMutation);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<OidcProviderForm>({
    resolver: zodResolver(schema),
    defaultValues: {
      name: provider?.name ?? '',
      issuer: provider?.issuer ?? '',
      clientId: provider?.clientId ?? '',
      clientSecret: '',
      removeClientSecret: false,
      scopes: provider?.scopes.join(' ') ?? 'openid email profile',
      linkToOrganization: true,
    },
  });

  async function onSubmit(form: OidcProviderForm) {
    const scopes = form.scopes.split(/\s+/).filter(Boolean);
    const fields = ['name', 'issuer', 'clientId', 'clientSecret', 'scopes'] as const;
    let happened = provider ? 'updated' : 'added';
    if (provider) {
      // Left empty, the stored secret stays; an empty string removes it.
      let secret = {};
      if (form.clientSecret) secret = { clientSecret: form.clientSecret };
      else if (form.removeClientSecret) secret = { clientSecret: '' };
      const result = await updateProvider({
        input: { id: provider.id, name: form.name, issuer: form.issuer, clientId: form.clientId, scopes, ...secret },
      });
      if (result.error) return showMutationError(result.error, setError, fields);
    } else {
      const result = await createProvider({
        input: {
          name: form.name,
          issuer: form.issuer,
          clientId: form.clientId,
          ...(form.clientSecret ? { clientSecret: form.clientSecret } : {}),
          ...(scopes.length > 0 ? { scopes } : {}),
        },
      });
      if (result.error) return showMutationError(result.error, setError, fields);
      const created = result.data?.createOidcProvider.oidcProvider.id;
      if (created && form.linkToOrganization) {
        const linked = await linkProvider({ input: { providerId: created } });
        if (linked.error) happened = 'added, but not linked to this organization';
      }
    }
    toast(changeMessage('Identity provider', form.name, happened));
    onSaved();
    onClose();
  }

  return (
    <Dialog title={provider ? `Edit identity provider ${provider.name}` : 'Add identity provider'} onClose={onClose}>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="stack" autoComplete="off">
        {!provider && <RedirectUriNote />}
        <TextField
          label="Name"
          hint="Shown on the sign-in page: “Sign in with …”."
          error={errors.name?.message}
          {...register('name')}
        />
        <TextField
          label="Issuer URL"
          type="url"
          spellCheck={false}
          hint="Checked by fetching its /.well-known/openid-configuration."
          error={errors.issuer?.message}
          {...register('issuer')}
        />
        <TextField label="Client ID" spellCheck={false} error={errors.clientId?.message} {...register('clientId')} />
        <TextField
          label={provider ? 'New client secret' : 'Client secret'}
          type="password"
          autoComplete="new-password"
          hint={
            provider?.hasClientSecret
              ? 'A secret is stored; it is never shown. Leave empty to keep it.'
              : 'Leave empty for a public client, which relies on PKCE.'
          }
          error={errors.clientSecret?.message}
          {...register('clientSecret')}
        />
        {provider?.hasClientSecret && (
          <label className="checkbox">
            <input type="checkbox" {...register('removeClientSecret')} />
            Remove the stored client secret (unless a new one is typed above)
          </label>
        )}
        <TextField
          label="Scopes"
          spellCheck={false}
          hint="Separated by spaces; openid is always asked for."
          error={errors.scopes?.message}
          {...register('scopes')}
        />
        {!provider && (
          <label className="checkbox">
            <input type="checkbox" {...register('linkToOrganization')} />
            Let members of this organization sign in with it (untick to try “Test sign-in” first)
          </label>
        )}
        <FormDialogActions
          errors={errors}
          submitLabel={provider ? 'Save provider' : 'Add identity provider'}
          submitting={isSubmitting}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}

import { useState } from 'react';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { DeleteOrganizationDialog } from './DeleteOrganizationDialog';

export const DeleteOrganizationSection_OrganizationFragment = graphql(`
  fragment DeleteOrganizationSection_Organization on Organization {
    id
    name
  }
`);

interface DeleteOrganizationSectionProps {
  organization: FragmentType<typeof DeleteOrganizationSection_OrganizationFragment>;
}

/** DeleteOrganizationSection is the Danger zone: deleting the organization, confirmed by typing its name. */
export function DeleteOrganizationSection({ organization: organizationRef }: DeleteOrganizationSectionProps) {
  const organization = getFragmentData(DeleteOrganizationSection_OrganizationFragment, organizationRef);
  const [deleting, setDeleting] = useState(false);

  return (
    <section className="callout danger-zone" aria-labelledby="danger-zone-heading">
      <h3 id="danger-zone-heading">Danger zone</h3>
      <p>
        Deleting <strong>{organization.name}</strong> signs everyone out of it and stops its API keys at once. Its
        audit log is kept.
      </p>
      <button type="button" className="button-danger" onClick={() => setDeleting(true)}>
        Delete organization
      </button>
      {deleting && <DeleteOrganizationDialog name={organization.name} onClose={() => setDeleting(false)} />}
    </section>
  );
}

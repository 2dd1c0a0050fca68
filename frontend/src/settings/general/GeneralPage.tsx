import { graphql } from '../../gql';
import { useTabQuery } from '../../graphql/useTabQuery';
import { PageSection } from '../../ui/PageSection';
import { QueryContent } from '../../ui/QueryContent';
import { DeleteOrganizationSection } from './DeleteOrganizationSection';
import { OrganizationSettingsForm } from './OrganizationSettingsForm';

const GeneralPageQuery = graphql(`
  query GeneralPage {
    organization {
      id
      ...OrganizationSettingsForm_Organization
      ...DeleteOrganizationSection_Organization
    }
    viewer {
      signIn {
        method
        providerName
      }
    }
  }
`);

/** GeneralPage is the Settings › General tab: the organization's name and settings, and deleting it. */
export function GeneralPage() {
  const [{ data, error }, refetch] = useTabQuery({ query: GeneralPageQuery });

  return (
    <PageSection
      headingId="general-heading"
      title="General"
      description="The organization’s name, how its members sign in, and how long its audit log is kept."
    >
      <QueryContent data={data} error={error} what="the organization’s settings" onRetry={refetch}>
        {(data) => (
          <div className="stack">
            <OrganizationSettingsForm
              organization={data.organization}
              signedIn={data.viewer?.signIn ?? null}
              onSaved={refetch}
            />
            <DeleteOrganizationSection organization={data.organization} />
          </div>
        )}
      </QueryContent>
    </PageSection>
  );
}

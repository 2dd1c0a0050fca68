import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { OidcClaimSource } from '../../gql/graphql';
import { signInTestProblems, type SignInTestOutcome } from './signInTestMessage';

const SignInTestResultQuery = graphql(`
  query SignInTestResult($result: String!) {
    oidcSignInTest(result: $result) {
      providerName
      organizationName
      succeeded
      problem {
        code
        message
        providerError
        providerErrorDescription
      }
      claims {
        name
        value
        source
      }
      signIn {
        canSignIn
        message
      }
    }
  }
`);

const sources: Record<OidcClaimSource, string> = { ID_TOKEN: 'ID token', USERINFO: 'UserInfo endpoint' };

/**
 * SignInTestResult says what a test of an identity provider found: why the
 * provider's answer signs nobody in, or the claims a sign-in reads (with
 * where each came from) and whether that person could sign in here.
 */
export function SignInTestResult({ outcome }: { outcome: SignInTestOutcome }) {
  const sealed = 'result' in outcome ? outcome.result : '';
  const [{ data, error }] = useQuery({
    query: SignInTestResultQuery,
    variables: { result: sealed },
    pause: !sealed,
    requestPolicy: 'network-only',
  });

  if ('problem' in outcome || error) {
    const code = 'problem' in outcome ? outcome.problem : 'result_not_found';
    return (
      <div className="callout callout-error" role="alert">
        <p>
          <strong>The test did not run.</strong>
        </p>
        <p>{signInTestProblems[code] ?? signInTestProblems.internal}</p>
      </div>
    );
  }
  if (!data) return <p role="status">Reading the provider’s answer…</p>;

  const test = data.oidcSignInTest;
  if (!test.succeeded) {
    const problem = test.problem;
    return (
      <div className="callout callout-error" role="alert" aria-label="Sign-in test result">
        <p>
          <strong>{test.providerName}’s answer signs nobody in.</strong>
        </p>
        <p>{problem?.message}</p>
        {problem?.providerError && (
          <p>
            The provider said: <code>{problem.providerError}</code>
            {problem.providerErrorDescription && <> — “{problem.providerErrorDescription}”</>}
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="stack" role="status" aria-label="Sign-in test result">
      <div className={test.signIn?.canSignIn ? 'callout callout-success' : 'callout callout-warning'}>
        <p>
          <strong>
            {test.signIn?.canSignIn
              ? `${test.providerName} signs this person in to ${test.organizationName}.`
              : `${test.providerName} answered, but this person could not sign in to ${test.organizationName}.`}
          </strong>
        </p>
        <p>{test.signIn?.message}</p>
      </div>
      <div className="table-scroll">
        <table aria-label={`What ${test.providerName} answered`}>
          <thead>
            <tr>
              <th scope="col">Claim</th>
              <th scope="col">Value</th>
              <th scope="col">From</th>
            </tr>
          </thead>
          <tbody>
            {test.claims.map((claim) => (
              <tr key={claim.name}>
                <th scope="row">
                  <code>{claim.name}</code>
                </th>
                <td className="break">{claim.value || <span className="muted">not sent</span>}</td>
                <td>{claim.source ? sources[claim.source] : <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

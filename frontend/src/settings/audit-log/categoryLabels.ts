import { graphql, getFragmentData, type FragmentType } from '../../gql';
import type { AuditCategory } from '../../gql/graphql';

export const CategoryLabels_CategoryFragment = graphql(`
  fragment CategoryLabels_Category on AuditCategoryInfo {
    category
    label
    shortLabel
  }
`);

/** CategoryLabels maps each audit category to its label and short label, as the server's catalog names them. */
export type CategoryLabels = ReadonlyMap<AuditCategory, { label: string; shortLabel: string }>;

/** categoryLabelsOf indexes the catalog's categories by their enum value. */
export function categoryLabelsOf(
  refs: ReadonlyArray<FragmentType<typeof CategoryLabels_CategoryFragment>>,
): CategoryLabels {
  const categories = getFragmentData(CategoryLabels_CategoryFragment, refs);
  return new Map(categories.map((c) => [c.category, { label: c.label, shortLabel: c.shortLabel }]));
}

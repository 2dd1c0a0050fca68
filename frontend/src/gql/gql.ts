/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query AppLayout {\n    organization {\n      ...Sidebar_Organization\n    }\n  }\n": typeof types.AppLayoutDocument,
    "\n  fragment Sidebar_Organization on Organization {\n    id\n    name\n  }\n": typeof types.Sidebar_OrganizationFragmentDoc,
    "\n  query AuditEventBatch($filter: AuditEventFilter, $first: Int!, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          ...AuditEventRow_Event\n          ...AuditEventDetail_Event\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AuditEventBatchDocument,
    "\n  fragment AuditEventDetail_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    action\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n      name\n    }\n    details\n    ipAddress\n    userAgent\n    requestId\n  }\n": typeof types.AuditEventDetail_EventFragmentDoc,
    "\n  fragment AuditEventRow_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n    }\n  }\n": typeof types.AuditEventRow_EventFragmentDoc,
    "\n  fragment AuditFilters_Category on AuditCategoryInfo {\n    category\n    label\n    actions {\n      action\n      label\n    }\n  }\n": typeof types.AuditFilters_CategoryFragmentDoc,
    "\n  query AuditLogPage {\n    auditCategories {\n      category\n      actions {\n        action\n      }\n      ...AuditFilters_Category\n      ...CategoryLabels_Category\n    }\n  }\n": typeof types.AuditLogPageDocument,
    "\n  fragment CategoryLabels_Category on AuditCategoryInfo {\n    category\n    label\n    shortLabel\n  }\n": typeof types.CategoryLabels_CategoryFragmentDoc,
};
const documents: Documents = {
    "\n  query AppLayout {\n    organization {\n      ...Sidebar_Organization\n    }\n  }\n": types.AppLayoutDocument,
    "\n  fragment Sidebar_Organization on Organization {\n    id\n    name\n  }\n": types.Sidebar_OrganizationFragmentDoc,
    "\n  query AuditEventBatch($filter: AuditEventFilter, $first: Int!, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          ...AuditEventRow_Event\n          ...AuditEventDetail_Event\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AuditEventBatchDocument,
    "\n  fragment AuditEventDetail_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    action\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n      name\n    }\n    details\n    ipAddress\n    userAgent\n    requestId\n  }\n": types.AuditEventDetail_EventFragmentDoc,
    "\n  fragment AuditEventRow_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n    }\n  }\n": types.AuditEventRow_EventFragmentDoc,
    "\n  fragment AuditFilters_Category on AuditCategoryInfo {\n    category\n    label\n    actions {\n      action\n      label\n    }\n  }\n": types.AuditFilters_CategoryFragmentDoc,
    "\n  query AuditLogPage {\n    auditCategories {\n      category\n      actions {\n        action\n      }\n      ...AuditFilters_Category\n      ...CategoryLabels_Category\n    }\n  }\n": types.AuditLogPageDocument,
    "\n  fragment CategoryLabels_Category on AuditCategoryInfo {\n    category\n    label\n    shortLabel\n  }\n": types.CategoryLabels_CategoryFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppLayout {\n    organization {\n      ...Sidebar_Organization\n    }\n  }\n"): (typeof documents)["\n  query AppLayout {\n    organization {\n      ...Sidebar_Organization\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Sidebar_Organization on Organization {\n    id\n    name\n  }\n"): (typeof documents)["\n  fragment Sidebar_Organization on Organization {\n    id\n    name\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEventBatch($filter: AuditEventFilter, $first: Int!, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          ...AuditEventRow_Event\n          ...AuditEventDetail_Event\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditEventBatch($filter: AuditEventFilter, $first: Int!, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          ...AuditEventRow_Event\n          ...AuditEventDetail_Event\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditEventDetail_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    action\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n      name\n    }\n    details\n    ipAddress\n    userAgent\n    requestId\n  }\n"): (typeof documents)["\n  fragment AuditEventDetail_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    action\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n      name\n    }\n    details\n    ipAddress\n    userAgent\n    requestId\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditEventRow_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n    }\n  }\n"): (typeof documents)["\n  fragment AuditEventRow_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditFilters_Category on AuditCategoryInfo {\n    category\n    label\n    actions {\n      action\n      label\n    }\n  }\n"): (typeof documents)["\n  fragment AuditFilters_Category on AuditCategoryInfo {\n    category\n    label\n    actions {\n      action\n      label\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLogPage {\n    auditCategories {\n      category\n      actions {\n        action\n      }\n      ...AuditFilters_Category\n      ...CategoryLabels_Category\n    }\n  }\n"): (typeof documents)["\n  query AuditLogPage {\n    auditCategories {\n      category\n      actions {\n        action\n      }\n      ...AuditFilters_Category\n      ...CategoryLabels_Category\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CategoryLabels_Category on AuditCategoryInfo {\n    category\n    label\n    shortLabel\n  }\n"): (typeof documents)["\n  fragment CategoryLabels_Category on AuditCategoryInfo {\n    category\n    label\n    shortLabel\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type ActorType =
  | 'API_KEY'
  | 'SCIM'
  | 'SERVICE_ACCOUNT'
  | 'SYSTEM'
  | 'USER';

export type AuditAction =
  | 'ADDED_OIDC_PROVIDER_TO_ORG'
  | 'ASSIGNED_ROLE'
  | 'CREATED_API_ACCESS_KEY'
  | 'CREATED_API_KEY'
  | 'CREATED_CONNECTOR'
  | 'CREATED_GROUP'
  | 'CREATED_OIDC_PROVIDER'
  | 'CREATED_ROLE'
  | 'CREATED_SCIM_OAUTH_CLIENT'
  | 'CREATED_SCIM_TOKEN'
  | 'CREATED_SECRET'
  | 'CREATED_SERVICE_ACCOUNT'
  | 'CREATED_SIBLING_ORGANIZATION'
  | 'DELETED_API_ACCESS_KEY'
  | 'DELETED_CONNECTOR'
  | 'DELETED_GROUP'
  | 'DELETED_OIDC_PROVIDER'
  | 'DELETED_ORGANIZATION'
  | 'DELETED_ROLE'
  | 'DELETED_SECRET'
  | 'DELETED_SERVICE_ACCOUNT'
  | 'DEPROVISIONED_USER'
  | 'GENERATED_MAGIC_LINK'
  | 'GRANTED_PERMISSION'
  | 'INVITED_MEMBER'
  | 'LOGGED_IN'
  | 'LOGGED_OUT'
  | 'LOGIN_FAILED'
  | 'MEMBER_JOINED'
  | 'PROVISIONED_USER'
  | 'REMOVED_MEMBER'
  | 'REMOVED_OIDC_PROVIDER_FROM_ORG'
  | 'REVOKED_API_KEY'
  | 'REVOKED_PERMISSION'
  | 'REVOKED_SCIM_OAUTH_CLIENT'
  | 'REVOKED_SCIM_TOKEN'
  | 'ROTATED_API_KEY'
  | 'SWITCHED_ORGANIZATION'
  | 'UNASSIGNED_ROLE'
  | 'UPDATED_API_ACCESS_KEY'
  | 'UPDATED_CONNECTOR'
  | 'UPDATED_GROUP'
  | 'UPDATED_OIDC_PROVIDER'
  | 'UPDATED_ORG_SETTINGS'
  | 'UPDATED_ROLE'
  | 'UPDATED_SECRET'
  | 'UPDATED_USER';

export type AuditCategory =
  | 'API_ACCESS_KEYS'
  | 'AUTHENTICATION'
  | 'CONNECTORS'
  | 'MEMBER_MANAGEMENT'
  | 'ORGANIZATION_SETTINGS'
  | 'ROLES_AND_PERMISSIONS'
  | 'SCIM_PROVISIONING'
  | 'SECRETS';

export type AuditDateRange =
  | 'LAST_7_DAYS'
  | 'LAST_30_DAYS'
  | 'LAST_90_DAYS'
  | 'TODAY';

/** Narrows the audit log. All given fields must match. */
export type AuditEventFilter = {
  /** Must belong to `category` when both are given. */
  action?: AuditAction | null | undefined;
  actorId?: string | number | null | undefined;
  category?: AuditCategory | null | undefined;
  from?: string | null | undefined;
  range?: AuditDateRange | null | undefined;
  resourceId?: string | null | undefined;
  resourceType?: string | null | undefined;
  /**
   * Case-insensitive substring of the actor email, action label, category labels,
   * resource type, resource id or details.
   */
  search?: string | null | undefined;
  /** IANA time zone in which TODAY is computed (default UTC). */
  timeZone?: string | null | undefined;
  to?: string | null | undefined;
};

export type AppLayoutQueryVariables = Exact<{ [key: string]: never; }>;


export type AppLayoutQuery = { organization: { ' $fragmentRefs'?: { 'Sidebar_OrganizationFragment': Sidebar_OrganizationFragment } } };

export type Sidebar_OrganizationFragment = { id: string, name: string } & { ' $fragmentName'?: 'Sidebar_OrganizationFragment' };

export type AuditEventBatchQueryVariables = Exact<{
  filter?: AuditEventFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type AuditEventBatchQuery = { auditEvents: { edges: Array<{ node: (
        { id: string }
        & { ' $fragmentRefs'?: { 'AuditEventRow_EventFragment': AuditEventRow_EventFragment;'AuditEventDetail_EventFragment': AuditEventDetail_EventFragment } }
      ) }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AuditEventDetail_EventFragment = { id: string, occurredAt: string, category: AuditCategory, action: AuditAction, actionLabel: string, details: Record<string, unknown>, ipAddress: string | null, userAgent: string | null, requestId: string | null, actor: { type: ActorType, id: string | null, email: string | null, name: string | null }, resource: { type: string, id: string, name: string | null } } & { ' $fragmentName'?: 'AuditEventDetail_EventFragment' };

export type AuditEventRow_EventFragment = { id: string, occurredAt: string, category: AuditCategory, actionLabel: string, actor: { type: ActorType, id: string | null, email: string | null, name: string | null }, resource: { type: string, id: string } } & { ' $fragmentName'?: 'AuditEventRow_EventFragment' };

export type AuditFilters_CategoryFragment = { category: AuditCategory, label: string, actions: Array<{ action: AuditAction, label: string }> } & { ' $fragmentName'?: 'AuditFilters_CategoryFragment' };

export type AuditLogPageQueryVariables = Exact<{ [key: string]: never; }>;


export type AuditLogPageQuery = { auditCategories: Array<(
    { category: AuditCategory, actions: Array<{ action: AuditAction }> }
    & { ' $fragmentRefs'?: { 'AuditFilters_CategoryFragment': AuditFilters_CategoryFragment;'CategoryLabels_CategoryFragment': CategoryLabels_CategoryFragment } }
  )> };

export type CategoryLabels_CategoryFragment = { category: AuditCategory, label: string, shortLabel: string } & { ' $fragmentName'?: 'CategoryLabels_CategoryFragment' };

export const Sidebar_OrganizationFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Sidebar_Organization"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Organization"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]} as unknown as DocumentNode<Sidebar_OrganizationFragment, unknown>;
export const AuditEventDetail_EventFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AuditEventDetail_Event"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AuditEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"actionLabel"}},{"kind":"Field","name":{"kind":"Name","value":"actor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"resource"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"details"}},{"kind":"Field","name":{"kind":"Name","value":"ipAddress"}},{"kind":"Field","name":{"kind":"Name","value":"userAgent"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}}]}}]} as unknown as DocumentNode<AuditEventDetail_EventFragment, unknown>;
export const AuditEventRow_EventFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AuditEventRow_Event"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AuditEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"actionLabel"}},{"kind":"Field","name":{"kind":"Name","value":"actor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"resource"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<AuditEventRow_EventFragment, unknown>;
export const AuditFilters_CategoryFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AuditFilters_Category"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AuditCategoryInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"actions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"label"}}]}}]}}]} as unknown as DocumentNode<AuditFilters_CategoryFragment, unknown>;
export const CategoryLabels_CategoryFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CategoryLabels_Category"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AuditCategoryInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"shortLabel"}}]}}]} as unknown as DocumentNode<CategoryLabels_CategoryFragment, unknown>;
export const AppLayoutDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AppLayout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Sidebar_Organization"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Sidebar_Organization"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Organization"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]} as unknown as DocumentNode<AppLayoutQuery, AppLayoutQueryVariables>;
export const AuditEventBatchDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AuditEventBatch"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"AuditEventFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"AuditEventRow_Event"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"AuditEventDetail_Event"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AuditEventRow_Event"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AuditEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"actionLabel"}},{"kind":"Field","name":{"kind":"Name","value":"actor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"resource"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AuditEventDetail_Event"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AuditEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"actionLabel"}},{"kind":"Field","name":{"kind":"Name","value":"actor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"resource"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"details"}},{"kind":"Field","name":{"kind":"Name","value":"ipAddress"}},{"kind":"Field","name":{"kind":"Name","value":"userAgent"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}}]}}]} as unknown as DocumentNode<AuditEventBatchQuery, AuditEventBatchQueryVariables>;
export const AuditLogPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AuditLogPage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditCategories"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"actions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"action"}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"AuditFilters_Category"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"CategoryLabels_Category"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AuditFilters_Category"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AuditCategoryInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"actions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"label"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CategoryLabels_Category"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AuditCategoryInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"shortLabel"}}]}}]} as unknown as DocumentNode<AuditLogPageQuery, AuditLogPageQueryVariables>;
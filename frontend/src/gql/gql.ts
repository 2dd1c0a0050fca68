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
    "\n  query AppLayout {\n    viewer {\n      permissions\n      ...Sidebar_Viewer\n    }\n  }\n": typeof types.AppLayoutDocument,
    "\n  mutation CreateSiblingOrganization($input: CreateSiblingOrganizationInput!) {\n    createSiblingOrganization(input: $input) {\n      organization {\n        id\n      }\n    }\n  }\n": typeof types.CreateSiblingOrganizationDocument,
    "\n  fragment OrganizationSwitcher_Viewer on Viewer {\n    user {\n      id\n    }\n    organization {\n      id\n      name\n    }\n    organizations {\n      id\n      name\n    }\n  }\n": typeof types.OrganizationSwitcher_ViewerFragmentDoc,
    "\n  mutation SwitchOrganization($input: SwitchOrganizationInput!) {\n    switchOrganization(input: $input) {\n      viewer {\n        organization {\n          id\n        }\n      }\n    }\n  }\n": typeof types.SwitchOrganizationDocument,
    "\n  fragment Sidebar_Viewer on Viewer {\n    user {\n      email\n    }\n    ...OrganizationSwitcher_Viewer\n  }\n": typeof types.Sidebar_ViewerFragmentDoc,
    "\n  query AuditEventBatch($filter: AuditEventFilter, $first: Int!, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          ...AuditEventRow_Event\n          ...AuditEventDetail_Event\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AuditEventBatchDocument,
    "\n  fragment AuditEventDetail_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    action\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n      name\n    }\n    details\n    ipAddress\n    userAgent\n    requestId\n  }\n": typeof types.AuditEventDetail_EventFragmentDoc,
    "\n  fragment AuditEventRow_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n    }\n  }\n": typeof types.AuditEventRow_EventFragmentDoc,
    "\n  fragment AuditFilters_Category on AuditCategoryInfo {\n    category\n    label\n    actions {\n      action\n      label\n    }\n  }\n": typeof types.AuditFilters_CategoryFragmentDoc,
    "\n  query AuditLogPage {\n    auditCategories {\n      category\n      actions {\n        action\n      }\n      ...AuditFilters_Category\n      ...CategoryLabels_Category\n    }\n  }\n": typeof types.AuditLogPageDocument,
    "\n  fragment CategoryLabels_Category on AuditCategoryInfo {\n    category\n    label\n    shortLabel\n  }\n": typeof types.CategoryLabels_CategoryFragmentDoc,
    "\n  fragment RoleFormDialog_Role on Role {\n    id\n    name\n    description\n    permissions\n  }\n": typeof types.RoleFormDialog_RoleFragmentDoc,
    "\n  fragment RoleFormDialog_Permission on PermissionInfo {\n    name\n    description\n  }\n": typeof types.RoleFormDialog_PermissionFragmentDoc,
    "\n  mutation CreateRole($input: CreateRoleInput!) {\n    createRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": typeof types.CreateRoleDocument,
    "\n  mutation UpdateRole($input: UpdateRoleInput!) {\n    updateRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": typeof types.UpdateRoleDocument,
    "\n  mutation GrantPermission($input: GrantPermissionInput!) {\n    grantPermission(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": typeof types.GrantPermissionDocument,
    "\n  mutation RevokePermission($input: RevokePermissionInput!) {\n    revokePermission(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": typeof types.RevokePermissionDocument,
    "\n  fragment RoleRow_Role on Role {\n    id\n    name\n    description\n    builtIn\n    permissions\n    ...RoleFormDialog_Role\n  }\n": typeof types.RoleRow_RoleFragmentDoc,
    "\n  mutation DeleteRole($input: DeleteRoleInput!) {\n    deleteRole(input: $input) {\n      deletedRoleId\n    }\n  }\n": typeof types.DeleteRoleDocument,
    "\n  query RolesPage {\n    roles {\n      id\n      ...RoleRow_Role\n    }\n    permissions {\n      ...RoleFormDialog_Permission\n    }\n  }\n": typeof types.RolesPageDocument,
    "\n  fragment ApiKeyRow_ApiKey on ApiKey {\n    id\n    name\n    prefix\n    status\n    createdAt\n    expiresAt\n    lastUsedAt\n  }\n": typeof types.ApiKeyRow_ApiKeyFragmentDoc,
    "\n  mutation RevokeApiKey($input: RevokeApiKeyInput!) {\n    revokeApiKey(input: $input) {\n      apiKey {\n        id\n        status\n      }\n    }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  mutation RotateApiKey($input: RotateApiKeyInput!) {\n    rotateApiKey(input: $input) {\n      key\n    }\n  }\n": typeof types.RotateApiKeyDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation CreateServiceAccount($input: CreateServiceAccountInput!) {\n    createServiceAccount(input: $input) {\n      serviceAccount {\n        id\n      }\n    }\n  }\n": typeof types.CreateServiceAccountDocument,
    "\n  fragment ServiceAccountCard_ServiceAccount on ServiceAccount {\n    id\n    name\n    description\n    roles {\n      id\n      name\n    }\n    apiKeys {\n      id\n      ...ApiKeyRow_ApiKey\n    }\n  }\n": typeof types.ServiceAccountCard_ServiceAccountFragmentDoc,
    "\n  mutation DeleteServiceAccount($input: DeleteServiceAccountInput!) {\n    deleteServiceAccount(input: $input) {\n      deletedServiceAccountId\n    }\n  }\n": typeof types.DeleteServiceAccountDocument,
    "\n  query ServiceAccountsPage {\n    serviceAccounts {\n      id\n      ...ServiceAccountCard_ServiceAccount\n    }\n  }\n": typeof types.ServiceAccountsPageDocument,
};
const documents: Documents = {
    "\n  query AppLayout {\n    viewer {\n      permissions\n      ...Sidebar_Viewer\n    }\n  }\n": types.AppLayoutDocument,
    "\n  mutation CreateSiblingOrganization($input: CreateSiblingOrganizationInput!) {\n    createSiblingOrganization(input: $input) {\n      organization {\n        id\n      }\n    }\n  }\n": types.CreateSiblingOrganizationDocument,
    "\n  fragment OrganizationSwitcher_Viewer on Viewer {\n    user {\n      id\n    }\n    organization {\n      id\n      name\n    }\n    organizations {\n      id\n      name\n    }\n  }\n": types.OrganizationSwitcher_ViewerFragmentDoc,
    "\n  mutation SwitchOrganization($input: SwitchOrganizationInput!) {\n    switchOrganization(input: $input) {\n      viewer {\n        organization {\n          id\n        }\n      }\n    }\n  }\n": types.SwitchOrganizationDocument,
    "\n  fragment Sidebar_Viewer on Viewer {\n    user {\n      email\n    }\n    ...OrganizationSwitcher_Viewer\n  }\n": types.Sidebar_ViewerFragmentDoc,
    "\n  query AuditEventBatch($filter: AuditEventFilter, $first: Int!, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          ...AuditEventRow_Event\n          ...AuditEventDetail_Event\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AuditEventBatchDocument,
    "\n  fragment AuditEventDetail_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    action\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n      name\n    }\n    details\n    ipAddress\n    userAgent\n    requestId\n  }\n": types.AuditEventDetail_EventFragmentDoc,
    "\n  fragment AuditEventRow_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n    }\n  }\n": types.AuditEventRow_EventFragmentDoc,
    "\n  fragment AuditFilters_Category on AuditCategoryInfo {\n    category\n    label\n    actions {\n      action\n      label\n    }\n  }\n": types.AuditFilters_CategoryFragmentDoc,
    "\n  query AuditLogPage {\n    auditCategories {\n      category\n      actions {\n        action\n      }\n      ...AuditFilters_Category\n      ...CategoryLabels_Category\n    }\n  }\n": types.AuditLogPageDocument,
    "\n  fragment CategoryLabels_Category on AuditCategoryInfo {\n    category\n    label\n    shortLabel\n  }\n": types.CategoryLabels_CategoryFragmentDoc,
    "\n  fragment RoleFormDialog_Role on Role {\n    id\n    name\n    description\n    permissions\n  }\n": types.RoleFormDialog_RoleFragmentDoc,
    "\n  fragment RoleFormDialog_Permission on PermissionInfo {\n    name\n    description\n  }\n": types.RoleFormDialog_PermissionFragmentDoc,
    "\n  mutation CreateRole($input: CreateRoleInput!) {\n    createRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": types.CreateRoleDocument,
    "\n  mutation UpdateRole($input: UpdateRoleInput!) {\n    updateRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": types.UpdateRoleDocument,
    "\n  mutation GrantPermission($input: GrantPermissionInput!) {\n    grantPermission(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": types.GrantPermissionDocument,
    "\n  mutation RevokePermission($input: RevokePermissionInput!) {\n    revokePermission(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": types.RevokePermissionDocument,
    "\n  fragment RoleRow_Role on Role {\n    id\n    name\n    description\n    builtIn\n    permissions\n    ...RoleFormDialog_Role\n  }\n": types.RoleRow_RoleFragmentDoc,
    "\n  mutation DeleteRole($input: DeleteRoleInput!) {\n    deleteRole(input: $input) {\n      deletedRoleId\n    }\n  }\n": types.DeleteRoleDocument,
    "\n  query RolesPage {\n    roles {\n      id\n      ...RoleRow_Role\n    }\n    permissions {\n      ...RoleFormDialog_Permission\n    }\n  }\n": types.RolesPageDocument,
    "\n  fragment ApiKeyRow_ApiKey on ApiKey {\n    id\n    name\n    prefix\n    status\n    createdAt\n    expiresAt\n    lastUsedAt\n  }\n": types.ApiKeyRow_ApiKeyFragmentDoc,
    "\n  mutation RevokeApiKey($input: RevokeApiKeyInput!) {\n    revokeApiKey(input: $input) {\n      apiKey {\n        id\n        status\n      }\n    }\n  }\n": types.RevokeApiKeyDocument,
    "\n  mutation RotateApiKey($input: RotateApiKeyInput!) {\n    rotateApiKey(input: $input) {\n      key\n    }\n  }\n": types.RotateApiKeyDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation CreateServiceAccount($input: CreateServiceAccountInput!) {\n    createServiceAccount(input: $input) {\n      serviceAccount {\n        id\n      }\n    }\n  }\n": types.CreateServiceAccountDocument,
    "\n  fragment ServiceAccountCard_ServiceAccount on ServiceAccount {\n    id\n    name\n    description\n    roles {\n      id\n      name\n    }\n    apiKeys {\n      id\n      ...ApiKeyRow_ApiKey\n    }\n  }\n": types.ServiceAccountCard_ServiceAccountFragmentDoc,
    "\n  mutation DeleteServiceAccount($input: DeleteServiceAccountInput!) {\n    deleteServiceAccount(input: $input) {\n      deletedServiceAccountId\n    }\n  }\n": types.DeleteServiceAccountDocument,
    "\n  query ServiceAccountsPage {\n    serviceAccounts {\n      id\n      ...ServiceAccountCard_ServiceAccount\n    }\n  }\n": types.ServiceAccountsPageDocument,
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
export function graphql(source: "\n  query AppLayout {\n    viewer {\n      permissions\n      ...Sidebar_Viewer\n    }\n  }\n"): (typeof documents)["\n  query AppLayout {\n    viewer {\n      permissions\n      ...Sidebar_Viewer\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSiblingOrganization($input: CreateSiblingOrganizationInput!) {\n    createSiblingOrganization(input: $input) {\n      organization {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSiblingOrganization($input: CreateSiblingOrganizationInput!) {\n    createSiblingOrganization(input: $input) {\n      organization {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrganizationSwitcher_Viewer on Viewer {\n    user {\n      id\n    }\n    organization {\n      id\n      name\n    }\n    organizations {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment OrganizationSwitcher_Viewer on Viewer {\n    user {\n      id\n    }\n    organization {\n      id\n      name\n    }\n    organizations {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SwitchOrganization($input: SwitchOrganizationInput!) {\n    switchOrganization(input: $input) {\n      viewer {\n        organization {\n          id\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SwitchOrganization($input: SwitchOrganizationInput!) {\n    switchOrganization(input: $input) {\n      viewer {\n        organization {\n          id\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Sidebar_Viewer on Viewer {\n    user {\n      email\n    }\n    ...OrganizationSwitcher_Viewer\n  }\n"): (typeof documents)["\n  fragment Sidebar_Viewer on Viewer {\n    user {\n      email\n    }\n    ...OrganizationSwitcher_Viewer\n  }\n"];
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
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RoleFormDialog_Role on Role {\n    id\n    name\n    description\n    permissions\n  }\n"): (typeof documents)["\n  fragment RoleFormDialog_Role on Role {\n    id\n    name\n    description\n    permissions\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RoleFormDialog_Permission on PermissionInfo {\n    name\n    description\n  }\n"): (typeof documents)["\n  fragment RoleFormDialog_Permission on PermissionInfo {\n    name\n    description\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRole($input: CreateRoleInput!) {\n    createRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateRole($input: CreateRoleInput!) {\n    createRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateRole($input: UpdateRoleInput!) {\n    updateRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateRole($input: UpdateRoleInput!) {\n    updateRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GrantPermission($input: GrantPermissionInput!) {\n    grantPermission(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation GrantPermission($input: GrantPermissionInput!) {\n    grantPermission(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokePermission($input: RevokePermissionInput!) {\n    revokePermission(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RevokePermission($input: RevokePermissionInput!) {\n    revokePermission(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RoleRow_Role on Role {\n    id\n    name\n    description\n    builtIn\n    permissions\n    ...RoleFormDialog_Role\n  }\n"): (typeof documents)["\n  fragment RoleRow_Role on Role {\n    id\n    name\n    description\n    builtIn\n    permissions\n    ...RoleFormDialog_Role\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteRole($input: DeleteRoleInput!) {\n    deleteRole(input: $input) {\n      deletedRoleId\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteRole($input: DeleteRoleInput!) {\n    deleteRole(input: $input) {\n      deletedRoleId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RolesPage {\n    roles {\n      id\n      ...RoleRow_Role\n    }\n    permissions {\n      ...RoleFormDialog_Permission\n    }\n  }\n"): (typeof documents)["\n  query RolesPage {\n    roles {\n      id\n      ...RoleRow_Role\n    }\n    permissions {\n      ...RoleFormDialog_Permission\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiKeyRow_ApiKey on ApiKey {\n    id\n    name\n    prefix\n    status\n    createdAt\n    expiresAt\n    lastUsedAt\n  }\n"): (typeof documents)["\n  fragment ApiKeyRow_ApiKey on ApiKey {\n    id\n    name\n    prefix\n    status\n    createdAt\n    expiresAt\n    lastUsedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($input: RevokeApiKeyInput!) {\n    revokeApiKey(input: $input) {\n      apiKey {\n        id\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiKey($input: RevokeApiKeyInput!) {\n    revokeApiKey(input: $input) {\n      apiKey {\n        id\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateApiKey($input: RotateApiKeyInput!) {\n    rotateApiKey(input: $input) {\n      key\n    }\n  }\n"): (typeof documents)["\n  mutation RotateApiKey($input: RotateApiKeyInput!) {\n    rotateApiKey(input: $input) {\n      key\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateServiceAccount($input: CreateServiceAccountInput!) {\n    createServiceAccount(input: $input) {\n      serviceAccount {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateServiceAccount($input: CreateServiceAccountInput!) {\n    createServiceAccount(input: $input) {\n      serviceAccount {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ServiceAccountCard_ServiceAccount on ServiceAccount {\n    id\n    name\n    description\n    roles {\n      id\n      name\n    }\n    apiKeys {\n      id\n      ...ApiKeyRow_ApiKey\n    }\n  }\n"): (typeof documents)["\n  fragment ServiceAccountCard_ServiceAccount on ServiceAccount {\n    id\n    name\n    description\n    roles {\n      id\n      name\n    }\n    apiKeys {\n      id\n      ...ApiKeyRow_ApiKey\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteServiceAccount($input: DeleteServiceAccountInput!) {\n    deleteServiceAccount(input: $input) {\n      deletedServiceAccountId\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteServiceAccount($input: DeleteServiceAccountInput!) {\n    deleteServiceAccount(input: $input) {\n      deletedServiceAccountId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServiceAccountsPage {\n    serviceAccounts {\n      id\n      ...ServiceAccountCard_ServiceAccount\n    }\n  }\n"): (typeof documents)["\n  query ServiceAccountsPage {\n    serviceAccounts {\n      id\n      ...ServiceAccountCard_ServiceAccount\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
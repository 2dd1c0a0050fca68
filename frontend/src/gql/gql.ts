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
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      organization {\n        id\n        name\n      }\n    }\n  }\n": typeof types.AcceptInvitationDocument,
    "\n  mutation SwitchToJoinedOrganization($input: SwitchOrganizationInput!) {\n    switchOrganization(input: $input) {\n      viewer {\n        organization {\n          id\n        }\n      }\n    }\n  }\n": typeof types.SwitchToJoinedOrganizationDocument,
    "\n  query AppLayout {\n    viewer {\n      permissions\n      ...Sidebar_Viewer\n    }\n  }\n": typeof types.AppLayoutDocument,
    "\n  mutation CreateSiblingOrganization($input: CreateSiblingOrganizationInput!) {\n    createSiblingOrganization(input: $input) {\n      organization {\n        id\n      }\n    }\n  }\n": typeof types.CreateSiblingOrganizationDocument,
    "\n  fragment OrganizationSwitcher_Viewer on Viewer {\n    user {\n      id\n    }\n    organization {\n      id\n      name\n    }\n    organizations {\n      id\n      name\n    }\n  }\n": typeof types.OrganizationSwitcher_ViewerFragmentDoc,
    "\n  mutation SwitchOrganization($input: SwitchOrganizationInput!) {\n    switchOrganization(input: $input) {\n      viewer {\n        organization {\n          id\n        }\n      }\n    }\n  }\n": typeof types.SwitchOrganizationDocument,
    "\n  fragment Sidebar_Viewer on Viewer {\n    user {\n      email\n    }\n    ...OrganizationSwitcher_Viewer\n  }\n": typeof types.Sidebar_ViewerFragmentDoc,
    "\n  fragment ApiAccessKeyFormDialog_ApiAccessKey on ApiAccessKey {\n    id\n    name\n    permissions\n    expiresAt\n  }\n": typeof types.ApiAccessKeyFormDialog_ApiAccessKeyFragmentDoc,
    "\n  fragment ApiAccessKeyFormDialog_Permission on PermissionInfo {\n    name\n    description\n  }\n": typeof types.ApiAccessKeyFormDialog_PermissionFragmentDoc,
    "\n  mutation CreateApiAccessKey($input: CreateApiAccessKeyInput!) {\n    createApiAccessKey(input: $input) {\n      apiAccessKey {\n        id\n      }\n      key\n    }\n  }\n": typeof types.CreateApiAccessKeyDocument,
    "\n  mutation UpdateApiAccessKey($input: UpdateApiAccessKeyInput!) {\n    updateApiAccessKey(input: $input) {\n      apiAccessKey {\n        id\n        ...ApiAccessKeyFormDialog_ApiAccessKey\n      }\n    }\n  }\n": typeof types.UpdateApiAccessKeyDocument,
    "\n  fragment ApiAccessKeyRow_ApiAccessKey on ApiAccessKey {\n    id\n    name\n    prefix\n    permissions\n    status\n    createdAt\n    expiresAt\n    lastUsedAt\n    createdBy {\n      email\n    }\n    ...ApiAccessKeyFormDialog_ApiAccessKey\n  }\n": typeof types.ApiAccessKeyRow_ApiAccessKeyFragmentDoc,
    "\n  mutation DeleteApiAccessKey($input: DeleteApiAccessKeyInput!) {\n    deleteApiAccessKey(input: $input) {\n      deletedApiAccessKeyId\n    }\n  }\n": typeof types.DeleteApiAccessKeyDocument,
    "\n  query ApiAccessKeysPage {\n    apiAccessKeys {\n      id\n      ...ApiAccessKeyRow_ApiAccessKey\n    }\n    permissions {\n      ...ApiAccessKeyFormDialog_Permission\n    }\n  }\n": typeof types.ApiAccessKeysPageDocument,
    "\n  query AuditEventBatch($filter: AuditEventFilter, $first: Int!, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          ...AuditEventRow_Event\n          ...AuditEventDetail_Event\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AuditEventBatchDocument,
    "\n  fragment AuditEventDetail_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    action\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n      name\n    }\n    details\n    ipAddress\n    userAgent\n    requestId\n  }\n": typeof types.AuditEventDetail_EventFragmentDoc,
    "\n  query AuditEventProof($id: ID!) {\n    auditEvent(id: $id) {\n      id\n      sequence\n      inclusionProof {\n        treeSize\n      }\n    }\n  }\n": typeof types.AuditEventProofDocument,
    "\n  fragment AuditEventRow_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    action\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n      name\n    }\n    details\n  }\n": typeof types.AuditEventRow_EventFragmentDoc,
    "\n  fragment AuditFilters_Category on AuditCategoryInfo {\n    category\n    label\n    actions {\n      action\n      label\n    }\n  }\n": typeof types.AuditFilters_CategoryFragmentDoc,
    "\n  query AuditLogPage {\n    organization {\n      id\n      settings {\n        auditRetentionDays\n      }\n    }\n    auditCategories {\n      category\n      actions {\n        action\n      }\n      ...AuditFilters_Category\n      ...CategoryLabels_Category\n    }\n  }\n": typeof types.AuditLogPageDocument,
    "\n  query AuditLogVerification {\n    auditLogCheckpoint {\n      size\n      createdAt\n    }\n  }\n": typeof types.AuditLogVerificationDocument,
    "\n  query AuditTimeline($filter: AuditEventFilter) {\n    auditTimeline(filter: $filter) {\n      from\n      to\n      interval\n      total\n      buckets {\n        start\n        end\n        count\n        categories {\n          category\n          count\n        }\n      }\n    }\n  }\n": typeof types.AuditTimelineDocument,
    "\n  query AuditQueryCheck($query: String!, $timeZone: String) {\n    auditQueryCheck(query: $query, timeZone: $timeZone) {\n      error {\n        message\n        token\n        start\n        end\n      }\n      clauses {\n        key\n        negated\n        value\n      }\n    }\n  }\n": typeof types.AuditQueryCheckDocument,
    "\n  fragment CategoryLabels_Category on AuditCategoryInfo {\n    category\n    label\n    shortLabel\n  }\n": typeof types.CategoryLabels_CategoryFragmentDoc,
    "\n  fragment LogStreamFormDialog_Destination on LogStreamDestinationInfo {\n    destination\n    label\n    formats\n    configFields {\n      name\n      label\n      description\n      kind\n      required\n      default\n      options\n    }\n    credentialFields {\n      name\n      label\n      description\n      kind\n      required\n      default\n      options\n    }\n  }\n": typeof types.LogStreamFormDialog_DestinationFragmentDoc,
    "\n  fragment LogStreamFormDialog_Category on AuditCategoryInfo {\n    category\n    label\n  }\n": typeof types.LogStreamFormDialog_CategoryFragmentDoc,
    "\n  fragment LogStreamFormDialog_LogStream on LogStream {\n    id\n    name\n    destination\n    format\n    config\n    credentialFields\n    categories\n    actions\n  }\n": typeof types.LogStreamFormDialog_LogStreamFragmentDoc,
    "\n  mutation CreateLogStream($input: CreateLogStreamInput!) {\n    createLogStream(input: $input) {\n      logStream {\n        id\n      }\n      signingSecret\n    }\n  }\n": typeof types.CreateLogStreamDocument,
    "\n  mutation UpdateLogStream($input: UpdateLogStreamInput!) {\n    updateLogStream(input: $input) {\n      logStream {\n        id\n        ...LogStreamFormDialog_LogStream\n      }\n      signingSecret\n    }\n  }\n": typeof types.UpdateLogStreamDocument,
    "\n  fragment LogStreamRow_LogStream on LogStream {\n    id\n    name\n    destination\n    format\n    state\n    lagEvents\n    lagSeconds\n    lastDeliveryAt\n    lastError\n    lastErrorAt\n    failureReason\n    nextAttemptAt\n    deliveredEvents\n    resentEvents\n    ...LogStreamFormDialog_LogStream\n  }\n": typeof types.LogStreamRow_LogStreamFragmentDoc,
    "\n  mutation PauseLogStream($input: PauseLogStreamInput!) {\n    pauseLogStream(input: $input) {\n      logStream {\n        id\n        state\n      }\n    }\n  }\n": typeof types.PauseLogStreamDocument,
    "\n  mutation ResumeLogStream($input: ResumeLogStreamInput!) {\n    resumeLogStream(input: $input) {\n      logStream {\n        id\n        state\n      }\n    }\n  }\n": typeof types.ResumeLogStreamDocument,
    "\n  mutation DeleteLogStream($input: DeleteLogStreamInput!) {\n    deleteLogStream(input: $input) {\n      deletedLogStreamId\n    }\n  }\n": typeof types.DeleteLogStreamDocument,
    "\n  mutation TestLogStream($input: TestLogStreamInput!) {\n    testLogStream(input: $input) {\n      ok\n      message\n      durationMs\n    }\n  }\n": typeof types.TestLogStreamDocument,
    "\n  query LogStreamsPage {\n    logStreams {\n      id\n      ...LogStreamRow_LogStream\n    }\n    logStreamDestinations {\n      ...LogStreamFormDialog_Destination\n    }\n    auditCategories {\n      ...LogStreamFormDialog_Category\n    }\n  }\n": typeof types.LogStreamsPageDocument,
    "\n  subscription AuditEventsAdded($filter: AuditEventFilter) {\n    auditEventsAdded(filter: $filter) {\n      id\n      ...AuditEventRow_Event\n      ...AuditEventDetail_Event\n    }\n  }\n": typeof types.AuditEventsAddedDocument,
    "\n  fragment ConnectorFormDialog_ConnectorType on ConnectorTypeInfo {\n    type\n    label\n    configFields {\n      name\n      label\n      description\n      kind\n      required\n      default\n      options\n    }\n    credentialFields {\n      name\n      label\n      description\n      kind\n      required\n      default\n      options\n    }\n  }\n": typeof types.ConnectorFormDialog_ConnectorTypeFragmentDoc,
    "\n  fragment ConnectorFormDialog_Connector on Connector {\n    id\n    name\n    type\n    config\n    credentialFields\n  }\n": typeof types.ConnectorFormDialog_ConnectorFragmentDoc,
    "\n  mutation CreateConnector($input: CreateConnectorInput!) {\n    createConnector(input: $input) {\n      connector {\n        id\n      }\n    }\n  }\n": typeof types.CreateConnectorDocument,
    "\n  mutation UpdateConnector($input: UpdateConnectorInput!) {\n    updateConnector(input: $input) {\n      connector {\n        id\n        ...ConnectorFormDialog_Connector\n      }\n    }\n  }\n": typeof types.UpdateConnectorDocument,
    "\n  fragment ConnectorLastTest_Connector on Connector {\n    lastTest {\n      ok\n      message\n      testedAt\n      durationMs\n    }\n  }\n": typeof types.ConnectorLastTest_ConnectorFragmentDoc,
    "\n  fragment ConnectorRow_Connector on Connector {\n    id\n    name\n    type\n    config\n    credentialFields\n    updatedAt\n    ...ConnectorLastTest_Connector\n    ...ConnectorFormDialog_Connector\n  }\n": typeof types.ConnectorRow_ConnectorFragmentDoc,
    "\n  mutation DeleteConnector($input: DeleteConnectorInput!) {\n    deleteConnector(input: $input) {\n      deletedConnectorId\n    }\n  }\n": typeof types.DeleteConnectorDocument,
    "\n  mutation TestConnector($input: TestConnectorInput!) {\n    testConnector(input: $input) {\n      supported\n      ok\n      message\n      durationMs\n    }\n  }\n": typeof types.TestConnectorDocument,
    "\n  query ConnectorsPage {\n    connectors {\n      id\n      ...ConnectorRow_Connector\n    }\n    connectorTypes {\n      ...ConnectorFormDialog_ConnectorType\n    }\n  }\n": typeof types.ConnectorsPageDocument,
    "\n  query AuditEventsHiddenByRetention($retentionDays: Int!) {\n    auditEventsHiddenByRetention(retentionDays: $retentionDays)\n  }\n": typeof types.AuditEventsHiddenByRetentionDocument,
    "\n  mutation DeleteOrganization($input: DeleteOrganizationInput!) {\n    deleteOrganization(input: $input) {\n      deletedOrganizationId\n      viewer {\n        organization {\n          id\n          name\n        }\n      }\n      signInUrl\n    }\n  }\n": typeof types.DeleteOrganizationDocument,
    "\n  fragment DeleteOrganizationSection_Organization on Organization {\n    id\n    name\n  }\n": typeof types.DeleteOrganizationSection_OrganizationFragmentDoc,
    "\n  query GeneralPage {\n    organization {\n      id\n      ...OrganizationSettingsForm_Organization\n      ...DeleteOrganizationSection_Organization\n    }\n    viewer {\n      signIn {\n        method\n        providerName\n      }\n    }\n  }\n": typeof types.GeneralPageDocument,
    "\n  fragment OrganizationSettingsForm_Organization on Organization {\n    id\n    name\n    settings {\n      sessionLifetimeHours\n      sessionIdleMinutes\n      signInMethods\n      auditRetentionDays\n    }\n  }\n": typeof types.OrganizationSettingsForm_OrganizationFragmentDoc,
    "\n  mutation UpdateOrganizationSettings($input: UpdateOrganizationSettingsInput!) {\n    updateOrganizationSettings(input: $input) {\n      organization {\n        id\n        ...OrganizationSettingsForm_Organization\n      }\n    }\n  }\n": typeof types.UpdateOrganizationSettingsDocument,
    "\n  query IdentityProvidersPage {\n    organization {\n      id\n    }\n    viewer {\n      signIn {\n        providerId\n      }\n    }\n    oidcProviders {\n      id\n      ...OidcProviderCard_OidcProvider\n    }\n  }\n": typeof types.IdentityProvidersPageDocument,
    "\n  fragment OidcProviderCard_OidcProvider on OidcProvider {\n    id\n    name\n    issuer\n    clientId\n    hasClientSecret\n    scopes\n    callbackUrl\n    testUrl\n    organizations {\n      id\n      name\n    }\n    ...OidcProviderFormDialog_OidcProvider\n  }\n": typeof types.OidcProviderCard_OidcProviderFragmentDoc,
    "\n  mutation AddOidcProviderToOrganization($input: AddOidcProviderToOrganizationInput!) {\n    addOidcProviderToOrganization(input: $input) {\n      oidcProvider {\n        id\n      }\n    }\n  }\n": typeof types.AddOidcProviderToOrganizationDocument,
    "\n  mutation RemoveOidcProviderFromOrganization($input: RemoveOidcProviderFromOrganizationInput!) {\n    removeOidcProviderFromOrganization(input: $input) {\n      oidcProvider {\n        id\n      }\n    }\n  }\n": typeof types.RemoveOidcProviderFromOrganizationDocument,
    "\n  mutation DeleteOidcProvider($input: DeleteOidcProviderInput!) {\n    deleteOidcProvider(input: $input) {\n      deletedOidcProviderId\n    }\n  }\n": typeof types.DeleteOidcProviderDocument,
    "\n  fragment OidcProviderFormDialog_OidcProvider on OidcProvider {\n    id\n    name\n    issuer\n    clientId\n    hasClientSecret\n    scopes\n  }\n": typeof types.OidcProviderFormDialog_OidcProviderFragmentDoc,
    "\n  mutation CreateOidcProvider($input: CreateOidcProviderInput!) {\n    createOidcProvider(input: $input) {\n      oidcProvider {\n        id\n      }\n    }\n  }\n": typeof types.CreateOidcProviderDocument,
    "\n  mutation UpdateOidcProvider($input: UpdateOidcProviderInput!) {\n    updateOidcProvider(input: $input) {\n      oidcProvider {\n        id\n        ...OidcProviderFormDialog_OidcProvider\n      }\n    }\n  }\n": typeof types.UpdateOidcProviderDocument,
    "\n  mutation LinkNewOidcProvider($input: AddOidcProviderToOrganizationInput!) {\n    addOidcProviderToOrganization(input: $input) {\n      oidcProvider {\n        id\n      }\n    }\n  }\n": typeof types.LinkNewOidcProviderDocument,
    "\n  query RedirectUriNote {\n    oidcRedirectUri\n  }\n": typeof types.RedirectUriNoteDocument,
    "\n  query SignInTestResult($result: String!) {\n    oidcSignInTest(result: $result) {\n      providerName\n      organizationName\n      succeeded\n      problem {\n        code\n        message\n        providerError\n        providerErrorDescription\n      }\n      claims {\n        name\n        value\n        source\n      }\n      signIn {\n        canSignIn\n        message\n      }\n    }\n  }\n": typeof types.SignInTestResultDocument,
    "\n  fragment InvitationsTable_Invitation on Invitation {\n    id\n    email\n    roles {\n      id\n      name\n    }\n    createdAt\n    expiresAt\n  }\n": typeof types.InvitationsTable_InvitationFragmentDoc,
    "\n  mutation WithdrawInvitation($input: WithdrawInvitationInput!) {\n    withdrawInvitation(input: $input) {\n      withdrawnInvitationId\n    }\n  }\n": typeof types.WithdrawInvitationDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      invitation {\n        id\n        email\n      }\n    }\n  }\n": typeof types.InviteMemberDocument,
    "\n  fragment MemberRow_Member on Member {\n    user {\n      id\n      email\n      name\n    }\n    status\n    joinedAt\n    roles {\n      id\n      name\n    }\n    provisionedByScim\n    scimRoleGrants {\n      roleId\n      groups\n    }\n  }\n": typeof types.MemberRow_MemberFragmentDoc,
    "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input) {\n      removedUserId\n    }\n  }\n": typeof types.RemoveMemberDocument,
    "\n  query MembersPage($withRoles: Boolean!) {\n    members {\n      user {\n        id\n      }\n      ...MemberRow_Member\n    }\n    invitations {\n      ...InvitationsTable_Invitation\n    }\n    roles @include(if: $withRoles) {\n      ...RoleChecklistDialog_Role\n    }\n  }\n": typeof types.MembersPageDocument,
    "\n  mutation AssignRole($input: AssignRoleInput!) {\n    assignRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": typeof types.AssignRoleDocument,
    "\n  mutation UnassignRole($input: UnassignRoleInput!) {\n    unassignRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": typeof types.UnassignRoleDocument,
    "\n  query DeleteRoleDialog($id: ID!) {\n    role(id: $id) {\n      id\n      holders {\n        kind\n        id\n        name\n      }\n    }\n  }\n": typeof types.DeleteRoleDialogDocument,
    "\n  mutation DeleteRole($input: DeleteRoleInput!) {\n    deleteRole(input: $input) {\n      deletedRoleId\n    }\n  }\n": typeof types.DeleteRoleDocument,
    "\n  fragment RoleChecklistDialog_Role on Role {\n    id\n    name\n    description\n    builtInRole\n    permissions\n  }\n": typeof types.RoleChecklistDialog_RoleFragmentDoc,
    "\n  fragment RoleFormDialog_Role on Role {\n    id\n    name\n    description\n    permissions\n  }\n": typeof types.RoleFormDialog_RoleFragmentDoc,
    "\n  fragment RoleFormDialog_Permission on PermissionInfo {\n    name\n    description\n  }\n": typeof types.RoleFormDialog_PermissionFragmentDoc,
    "\n  mutation CreateRole($input: CreateRoleInput!) {\n    createRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": typeof types.CreateRoleDocument,
    "\n  mutation UpdateRole($input: UpdateRoleInput!) {\n    updateRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": typeof types.UpdateRoleDocument,
    "\n  mutation GrantPermission($input: GrantPermissionInput!) {\n    grantPermission(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": typeof types.GrantPermissionDocument,
    "\n  mutation RevokePermission($input: RevokePermissionInput!) {\n    revokePermission(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": typeof types.RevokePermissionDocument,
    "\n  fragment RoleRow_Role on Role {\n    id\n    name\n    description\n    builtIn\n    builtInRole\n    permissions\n    ...RoleFormDialog_Role\n  }\n": typeof types.RoleRow_RoleFragmentDoc,
    "\n  query RolesPage {\n    roles {\n      id\n      ...RoleRow_Role\n    }\n    permissions {\n      ...RoleFormDialog_Permission\n    }\n  }\n": typeof types.RolesPageDocument,
    "\n  mutation CreateScimOAuthClient($input: CreateScimOAuthClientInput!) {\n    createScimOAuthClient(input: $input) {\n      scimOAuthClient {\n        id\n        clientId\n      }\n      clientSecret\n      tokenUrl\n    }\n  }\n": typeof types.CreateScimOAuthClientDocument,
    "\n  mutation CreateScimToken($input: CreateScimTokenInput!) {\n    createScimToken(input: $input) {\n      scimToken {\n        id\n      }\n      token\n    }\n  }\n": typeof types.CreateScimTokenDocument,
    "\n  fragment ScimGroupRow_ScimGroup on ScimGroup {\n    id\n    displayName\n    externalId\n    memberCount\n    roles {\n      id\n      name\n    }\n  }\n": typeof types.ScimGroupRow_ScimGroupFragmentDoc,
    "\n  mutation MapScimGroupToRole($input: MapScimGroupToRoleInput!) {\n    mapScimGroupToRole(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n": typeof types.MapScimGroupToRoleDocument,
    "\n  mutation UnmapScimGroupFromRole($input: UnmapScimGroupFromRoleInput!) {\n    unmapScimGroupFromRole(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n": typeof types.UnmapScimGroupFromRoleDocument,
    "\n  fragment ScimOAuthClientRow_ScimOAuthClient on ScimOAuthClient {\n    id\n    name\n    clientId\n    status\n    createdAt\n    lastUsedAt\n  }\n": typeof types.ScimOAuthClientRow_ScimOAuthClientFragmentDoc,
    "\n  mutation RevokeScimOAuthClient($input: RevokeScimOAuthClientInput!) {\n    revokeScimOAuthClient(input: $input) {\n      scimOAuthClient {\n        id\n        status\n      }\n    }\n  }\n": typeof types.RevokeScimOAuthClientDocument,
    "\n  query ScimPage($withRoles: Boolean!) {\n    scimBaseUrl\n    scimTokenUrl\n    scimTokens {\n      id\n      ...ScimTokenRow_ScimToken\n    }\n    scimOAuthClients {\n      id\n      ...ScimOAuthClientRow_ScimOAuthClient\n    }\n    scimGroups {\n      id\n      ...ScimGroupRow_ScimGroup\n    }\n    roles @include(if: $withRoles) {\n      ...RoleChecklistDialog_Role\n    }\n  }\n": typeof types.ScimPageDocument,
    "\n  fragment ScimTokenRow_ScimToken on ScimToken {\n    id\n    name\n    prefix\n    status\n    createdAt\n    expiresAt\n    lastUsedAt\n  }\n": typeof types.ScimTokenRow_ScimTokenFragmentDoc,
    "\n  mutation RevokeScimToken($input: RevokeScimTokenInput!) {\n    revokeScimToken(input: $input) {\n      scimToken {\n        id\n        status\n      }\n    }\n  }\n": typeof types.RevokeScimTokenDocument,
    "\n  fragment SecretFormDialog_Secret on Secret {\n    id\n    name\n    description\n  }\n": typeof types.SecretFormDialog_SecretFragmentDoc,
    "\n  mutation CreateSecret($input: CreateSecretInput!) {\n    createSecret(input: $input) {\n      secret {\n        id\n      }\n    }\n  }\n": typeof types.CreateSecretDocument,
    "\n  mutation UpdateSecret($input: UpdateSecretInput!) {\n    updateSecret(input: $input) {\n      secret {\n        id\n        ...SecretFormDialog_Secret\n      }\n    }\n  }\n": typeof types.UpdateSecretDocument,
    "\n  fragment SecretRow_Secret on Secret {\n    id\n    name\n    description\n    createdAt\n    createdBy {\n      email\n      name\n    }\n    updatedAt\n    updatedBy {\n      email\n      name\n    }\n    ...SecretFormDialog_Secret\n  }\n": typeof types.SecretRow_SecretFragmentDoc,
    "\n  mutation DeleteSecret($input: DeleteSecretInput!) {\n    deleteSecret(input: $input) {\n      deletedSecretId\n    }\n  }\n": typeof types.DeleteSecretDocument,
    "\n  query SecretsPage {\n    secrets {\n      id\n      ...SecretRow_Secret\n    }\n  }\n": typeof types.SecretsPageDocument,
    "\n  fragment ApiKeyRow_ApiKey on ApiKey {\n    id\n    name\n    prefix\n    status\n    createdAt\n    expiresAt\n    lastUsedAt\n  }\n": typeof types.ApiKeyRow_ApiKeyFragmentDoc,
    "\n  mutation RevokeApiKey($input: RevokeApiKeyInput!) {\n    revokeApiKey(input: $input) {\n      apiKey {\n        id\n        status\n      }\n    }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  mutation RotateApiKey($input: RotateApiKeyInput!) {\n    rotateApiKey(input: $input) {\n      key\n    }\n  }\n": typeof types.RotateApiKeyDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation CreateServiceAccount($input: CreateServiceAccountInput!) {\n    createServiceAccount(input: $input) {\n      serviceAccount {\n        id\n      }\n    }\n  }\n": typeof types.CreateServiceAccountDocument,
    "\n  mutation UpdateServiceAccount($input: UpdateServiceAccountInput!) {\n    updateServiceAccount(input: $input) {\n      serviceAccount {\n        id\n        name\n        description\n      }\n    }\n  }\n": typeof types.UpdateServiceAccountDocument,
    "\n  fragment ServiceAccountCard_ServiceAccount on ServiceAccount {\n    id\n    name\n    description\n    roles {\n      id\n      name\n      permissions\n    }\n    apiKeys {\n      id\n      ...ApiKeyRow_ApiKey\n    }\n  }\n": typeof types.ServiceAccountCard_ServiceAccountFragmentDoc,
    "\n  mutation DeleteServiceAccount($input: DeleteServiceAccountInput!) {\n    deleteServiceAccount(input: $input) {\n      deletedServiceAccountId\n    }\n  }\n": typeof types.DeleteServiceAccountDocument,
    "\n  query ServiceAccountsPage($withRoles: Boolean!) {\n    serviceAccounts {\n      id\n      ...ServiceAccountCard_ServiceAccount\n    }\n    roles @include(if: $withRoles) {\n      ...RoleChecklistDialog_Role\n    }\n  }\n": typeof types.ServiceAccountsPageDocument,
    "\n  query SignInPage($organizationId: ID) {\n    signInOptions(organizationId: $organizationId) {\n      magicLink\n      providers {\n        id\n        name\n        loginUrl\n      }\n    }\n  }\n": typeof types.SignInPageDocument,
    "\n  query SignInPageOrganizations {\n    viewer {\n      organizations {\n        id\n        name\n      }\n    }\n  }\n": typeof types.SignInPageOrganizationsDocument,
};
const documents: Documents = {
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      organization {\n        id\n        name\n      }\n    }\n  }\n": types.AcceptInvitationDocument,
    "\n  mutation SwitchToJoinedOrganization($input: SwitchOrganizationInput!) {\n    switchOrganization(input: $input) {\n      viewer {\n        organization {\n          id\n        }\n      }\n    }\n  }\n": types.SwitchToJoinedOrganizationDocument,
    "\n  query AppLayout {\n    viewer {\n      permissions\n      ...Sidebar_Viewer\n    }\n  }\n": types.AppLayoutDocument,
    "\n  mutation CreateSiblingOrganization($input: CreateSiblingOrganizationInput!) {\n    createSiblingOrganization(input: $input) {\n      organization {\n        id\n      }\n    }\n  }\n": types.CreateSiblingOrganizationDocument,
    "\n  fragment OrganizationSwitcher_Viewer on Viewer {\n    user {\n      id\n    }\n    organization {\n      id\n      name\n    }\n    organizations {\n      id\n      name\n    }\n  }\n": types.OrganizationSwitcher_ViewerFragmentDoc,
    "\n  mutation SwitchOrganization($input: SwitchOrganizationInput!) {\n    switchOrganization(input: $input) {\n      viewer {\n        organization {\n          id\n        }\n      }\n    }\n  }\n": types.SwitchOrganizationDocument,
    "\n  fragment Sidebar_Viewer on Viewer {\n    user {\n      email\n    }\n    ...OrganizationSwitcher_Viewer\n  }\n": types.Sidebar_ViewerFragmentDoc,
    "\n  fragment ApiAccessKeyFormDialog_ApiAccessKey on ApiAccessKey {\n    id\n    name\n    permissions\n    expiresAt\n  }\n": types.ApiAccessKeyFormDialog_ApiAccessKeyFragmentDoc,
    "\n  fragment ApiAccessKeyFormDialog_Permission on PermissionInfo {\n    name\n    description\n  }\n": types.ApiAccessKeyFormDialog_PermissionFragmentDoc,
    "\n  mutation CreateApiAccessKey($input: CreateApiAccessKeyInput!) {\n    createApiAccessKey(input: $input) {\n      apiAccessKey {\n        id\n      }\n      key\n    }\n  }\n": types.CreateApiAccessKeyDocument,
    "\n  mutation UpdateApiAccessKey($input: UpdateApiAccessKeyInput!) {\n    updateApiAccessKey(input: $input) {\n      apiAccessKey {\n        id\n        ...ApiAccessKeyFormDialog_ApiAccessKey\n      }\n    }\n  }\n": types.UpdateApiAccessKeyDocument,
    "\n  fragment ApiAccessKeyRow_ApiAccessKey on ApiAccessKey {\n    id\n    name\n    prefix\n    permissions\n    status\n    createdAt\n    expiresAt\n    lastUsedAt\n    createdBy {\n      email\n    }\n    ...ApiAccessKeyFormDialog_ApiAccessKey\n  }\n": types.ApiAccessKeyRow_ApiAccessKeyFragmentDoc,
    "\n  mutation DeleteApiAccessKey($input: DeleteApiAccessKeyInput!) {\n    deleteApiAccessKey(input: $input) {\n      deletedApiAccessKeyId\n    }\n  }\n": types.DeleteApiAccessKeyDocument,
    "\n  query ApiAccessKeysPage {\n    apiAccessKeys {\n      id\n      ...ApiAccessKeyRow_ApiAccessKey\n    }\n    permissions {\n      ...ApiAccessKeyFormDialog_Permission\n    }\n  }\n": types.ApiAccessKeysPageDocument,
    "\n  query AuditEventBatch($filter: AuditEventFilter, $first: Int!, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          ...AuditEventRow_Event\n          ...AuditEventDetail_Event\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AuditEventBatchDocument,
    "\n  fragment AuditEventDetail_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    action\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n      name\n    }\n    details\n    ipAddress\n    userAgent\n    requestId\n  }\n": types.AuditEventDetail_EventFragmentDoc,
    "\n  query AuditEventProof($id: ID!) {\n    auditEvent(id: $id) {\n      id\n      sequence\n      inclusionProof {\n        treeSize\n      }\n    }\n  }\n": types.AuditEventProofDocument,
    "\n  fragment AuditEventRow_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    action\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n      name\n    }\n    details\n  }\n": types.AuditEventRow_EventFragmentDoc,
    "\n  fragment AuditFilters_Category on AuditCategoryInfo {\n    category\n    label\n    actions {\n      action\n      label\n    }\n  }\n": types.AuditFilters_CategoryFragmentDoc,
    "\n  query AuditLogPage {\n    organization {\n      id\n      settings {\n        auditRetentionDays\n      }\n    }\n    auditCategories {\n      category\n      actions {\n        action\n      }\n      ...AuditFilters_Category\n      ...CategoryLabels_Category\n    }\n  }\n": types.AuditLogPageDocument,
    "\n  query AuditLogVerification {\n    auditLogCheckpoint {\n      size\n      createdAt\n    }\n  }\n": types.AuditLogVerificationDocument,
    "\n  query AuditTimeline($filter: AuditEventFilter) {\n    auditTimeline(filter: $filter) {\n      from\n      to\n      interval\n      total\n      buckets {\n        start\n        end\n        count\n        categories {\n          category\n          count\n        }\n      }\n    }\n  }\n": types.AuditTimelineDocument,
    "\n  query AuditQueryCheck($query: String!, $timeZone: String) {\n    auditQueryCheck(query: $query, timeZone: $timeZone) {\n      error {\n        message\n        token\n        start\n        end\n      }\n      clauses {\n        key\n        negated\n        value\n      }\n    }\n  }\n": types.AuditQueryCheckDocument,
    "\n  fragment CategoryLabels_Category on AuditCategoryInfo {\n    category\n    label\n    shortLabel\n  }\n": types.CategoryLabels_CategoryFragmentDoc,
    "\n  fragment LogStreamFormDialog_Destination on LogStreamDestinationInfo {\n    destination\n    label\n    formats\n    configFields {\n      name\n      label\n      description\n      kind\n      required\n      default\n      options\n    }\n    credentialFields {\n      name\n      label\n      description\n      kind\n      required\n      default\n      options\n    }\n  }\n": types.LogStreamFormDialog_DestinationFragmentDoc,
    "\n  fragment LogStreamFormDialog_Category on AuditCategoryInfo {\n    category\n    label\n  }\n": types.LogStreamFormDialog_CategoryFragmentDoc,
    "\n  fragment LogStreamFormDialog_LogStream on LogStream {\n    id\n    name\n    destination\n    format\n    config\n    credentialFields\n    categories\n    actions\n  }\n": types.LogStreamFormDialog_LogStreamFragmentDoc,
    "\n  mutation CreateLogStream($input: CreateLogStreamInput!) {\n    createLogStream(input: $input) {\n      logStream {\n        id\n      }\n      signingSecret\n    }\n  }\n": types.CreateLogStreamDocument,
    "\n  mutation UpdateLogStream($input: UpdateLogStreamInput!) {\n    updateLogStream(input: $input) {\n      logStream {\n        id\n        ...LogStreamFormDialog_LogStream\n      }\n      signingSecret\n    }\n  }\n": types.UpdateLogStreamDocument,
    "\n  fragment LogStreamRow_LogStream on LogStream {\n    id\n    name\n    destination\n    format\n    state\n    lagEvents\n    lagSeconds\n    lastDeliveryAt\n    lastError\n    lastErrorAt\n    failureReason\n    nextAttemptAt\n    deliveredEvents\n    resentEvents\n    ...LogStreamFormDialog_LogStream\n  }\n": types.LogStreamRow_LogStreamFragmentDoc,
    "\n  mutation PauseLogStream($input: PauseLogStreamInput!) {\n    pauseLogStream(input: $input) {\n      logStream {\n        id\n        state\n      }\n    }\n  }\n": types.PauseLogStreamDocument,
    "\n  mutation ResumeLogStream($input: ResumeLogStreamInput!) {\n    resumeLogStream(input: $input) {\n      logStream {\n        id\n        state\n      }\n    }\n  }\n": types.ResumeLogStreamDocument,
    "\n  mutation DeleteLogStream($input: DeleteLogStreamInput!) {\n    deleteLogStream(input: $input) {\n      deletedLogStreamId\n    }\n  }\n": types.DeleteLogStreamDocument,
    "\n  mutation TestLogStream($input: TestLogStreamInput!) {\n    testLogStream(input: $input) {\n      ok\n      message\n      durationMs\n    }\n  }\n": types.TestLogStreamDocument,
    "\n  query LogStreamsPage {\n    logStreams {\n      id\n      ...LogStreamRow_LogStream\n    }\n    logStreamDestinations {\n      ...LogStreamFormDialog_Destination\n    }\n    auditCategories {\n      ...LogStreamFormDialog_Category\n    }\n  }\n": types.LogStreamsPageDocument,
    "\n  subscription AuditEventsAdded($filter: AuditEventFilter) {\n    auditEventsAdded(filter: $filter) {\n      id\n      ...AuditEventRow_Event\n      ...AuditEventDetail_Event\n    }\n  }\n": types.AuditEventsAddedDocument,
    "\n  fragment ConnectorFormDialog_ConnectorType on ConnectorTypeInfo {\n    type\n    label\n    configFields {\n      name\n      label\n      description\n      kind\n      required\n      default\n      options\n    }\n    credentialFields {\n      name\n      label\n      description\n      kind\n      required\n      default\n      options\n    }\n  }\n": types.ConnectorFormDialog_ConnectorTypeFragmentDoc,
    "\n  fragment ConnectorFormDialog_Connector on Connector {\n    id\n    name\n    type\n    config\n    credentialFields\n  }\n": types.ConnectorFormDialog_ConnectorFragmentDoc,
    "\n  mutation CreateConnector($input: CreateConnectorInput!) {\n    createConnector(input: $input) {\n      connector {\n        id\n      }\n    }\n  }\n": types.CreateConnectorDocument,
    "\n  mutation UpdateConnector($input: UpdateConnectorInput!) {\n    updateConnector(input: $input) {\n      connector {\n        id\n        ...ConnectorFormDialog_Connector\n      }\n    }\n  }\n": types.UpdateConnectorDocument,
    "\n  fragment ConnectorLastTest_Connector on Connector {\n    lastTest {\n      ok\n      message\n      testedAt\n      durationMs\n    }\n  }\n": types.ConnectorLastTest_ConnectorFragmentDoc,
    "\n  fragment ConnectorRow_Connector on Connector {\n    id\n    name\n    type\n    config\n    credentialFields\n    updatedAt\n    ...ConnectorLastTest_Connector\n    ...ConnectorFormDialog_Connector\n  }\n": types.ConnectorRow_ConnectorFragmentDoc,
    "\n  mutation DeleteConnector($input: DeleteConnectorInput!) {\n    deleteConnector(input: $input) {\n      deletedConnectorId\n    }\n  }\n": types.DeleteConnectorDocument,
    "\n  mutation TestConnector($input: TestConnectorInput!) {\n    testConnector(input: $input) {\n      supported\n      ok\n      message\n      durationMs\n    }\n  }\n": types.TestConnectorDocument,
    "\n  query ConnectorsPage {\n    connectors {\n      id\n      ...ConnectorRow_Connector\n    }\n    connectorTypes {\n      ...ConnectorFormDialog_ConnectorType\n    }\n  }\n": types.ConnectorsPageDocument,
    "\n  query AuditEventsHiddenByRetention($retentionDays: Int!) {\n    auditEventsHiddenByRetention(retentionDays: $retentionDays)\n  }\n": types.AuditEventsHiddenByRetentionDocument,
    "\n  mutation DeleteOrganization($input: DeleteOrganizationInput!) {\n    deleteOrganization(input: $input) {\n      deletedOrganizationId\n      viewer {\n        organization {\n          id\n          name\n        }\n      }\n      signInUrl\n    }\n  }\n": types.DeleteOrganizationDocument,
    "\n  fragment DeleteOrganizationSection_Organization on Organization {\n    id\n    name\n  }\n": types.DeleteOrganizationSection_OrganizationFragmentDoc,
    "\n  query GeneralPage {\n    organization {\n      id\n      ...OrganizationSettingsForm_Organization\n      ...DeleteOrganizationSection_Organization\n    }\n    viewer {\n      signIn {\n        method\n        providerName\n      }\n    }\n  }\n": types.GeneralPageDocument,
    "\n  fragment OrganizationSettingsForm_Organization on Organization {\n    id\n    name\n    settings {\n      sessionLifetimeHours\n      sessionIdleMinutes\n      signInMethods\n      auditRetentionDays\n    }\n  }\n": types.OrganizationSettingsForm_OrganizationFragmentDoc,
    "\n  mutation UpdateOrganizationSettings($input: UpdateOrganizationSettingsInput!) {\n    updateOrganizationSettings(input: $input) {\n      organization {\n        id\n        ...OrganizationSettingsForm_Organization\n      }\n    }\n  }\n": types.UpdateOrganizationSettingsDocument,
    "\n  query IdentityProvidersPage {\n    organization {\n      id\n    }\n    viewer {\n      signIn {\n        providerId\n      }\n    }\n    oidcProviders {\n      id\n      ...OidcProviderCard_OidcProvider\n    }\n  }\n": types.IdentityProvidersPageDocument,
    "\n  fragment OidcProviderCard_OidcProvider on OidcProvider {\n    id\n    name\n    issuer\n    clientId\n    hasClientSecret\n    scopes\n    callbackUrl\n    testUrl\n    organizations {\n      id\n      name\n    }\n    ...OidcProviderFormDialog_OidcProvider\n  }\n": types.OidcProviderCard_OidcProviderFragmentDoc,
    "\n  mutation AddOidcProviderToOrganization($input: AddOidcProviderToOrganizationInput!) {\n    addOidcProviderToOrganization(input: $input) {\n      oidcProvider {\n        id\n      }\n    }\n  }\n": types.AddOidcProviderToOrganizationDocument,
    "\n  mutation RemoveOidcProviderFromOrganization($input: RemoveOidcProviderFromOrganizationInput!) {\n    removeOidcProviderFromOrganization(input: $input) {\n      oidcProvider {\n        id\n      }\n    }\n  }\n": types.RemoveOidcProviderFromOrganizationDocument,
    "\n  mutation DeleteOidcProvider($input: DeleteOidcProviderInput!) {\n    deleteOidcProvider(input: $input) {\n      deletedOidcProviderId\n    }\n  }\n": types.DeleteOidcProviderDocument,
    "\n  fragment OidcProviderFormDialog_OidcProvider on OidcProvider {\n    id\n    name\n    issuer\n    clientId\n    hasClientSecret\n    scopes\n  }\n": types.OidcProviderFormDialog_OidcProviderFragmentDoc,
    "\n  mutation CreateOidcProvider($input: CreateOidcProviderInput!) {\n    createOidcProvider(input: $input) {\n      oidcProvider {\n        id\n      }\n    }\n  }\n": types.CreateOidcProviderDocument,
    "\n  mutation UpdateOidcProvider($input: UpdateOidcProviderInput!) {\n    updateOidcProvider(input: $input) {\n      oidcProvider {\n        id\n        ...OidcProviderFormDialog_OidcProvider\n      }\n    }\n  }\n": types.UpdateOidcProviderDocument,
    "\n  mutation LinkNewOidcProvider($input: AddOidcProviderToOrganizationInput!) {\n    addOidcProviderToOrganization(input: $input) {\n      oidcProvider {\n        id\n      }\n    }\n  }\n": types.LinkNewOidcProviderDocument,
    "\n  query RedirectUriNote {\n    oidcRedirectUri\n  }\n": types.RedirectUriNoteDocument,
    "\n  query SignInTestResult($result: String!) {\n    oidcSignInTest(result: $result) {\n      providerName\n      organizationName\n      succeeded\n      problem {\n        code\n        message\n        providerError\n        providerErrorDescription\n      }\n      claims {\n        name\n        value\n        source\n      }\n      signIn {\n        canSignIn\n        message\n      }\n    }\n  }\n": types.SignInTestResultDocument,
    "\n  fragment InvitationsTable_Invitation on Invitation {\n    id\n    email\n    roles {\n      id\n      name\n    }\n    createdAt\n    expiresAt\n  }\n": types.InvitationsTable_InvitationFragmentDoc,
    "\n  mutation WithdrawInvitation($input: WithdrawInvitationInput!) {\n    withdrawInvitation(input: $input) {\n      withdrawnInvitationId\n    }\n  }\n": types.WithdrawInvitationDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      invitation {\n        id\n        email\n      }\n    }\n  }\n": types.InviteMemberDocument,
    "\n  fragment MemberRow_Member on Member {\n    user {\n      id\n      email\n      name\n    }\n    status\n    joinedAt\n    roles {\n      id\n      name\n    }\n    provisionedByScim\n    scimRoleGrants {\n      roleId\n      groups\n    }\n  }\n": types.MemberRow_MemberFragmentDoc,
    "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input) {\n      removedUserId\n    }\n  }\n": types.RemoveMemberDocument,
    "\n  query MembersPage($withRoles: Boolean!) {\n    members {\n      user {\n        id\n      }\n      ...MemberRow_Member\n    }\n    invitations {\n      ...InvitationsTable_Invitation\n    }\n    roles @include(if: $withRoles) {\n      ...RoleChecklistDialog_Role\n    }\n  }\n": types.MembersPageDocument,
    "\n  mutation AssignRole($input: AssignRoleInput!) {\n    assignRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": types.AssignRoleDocument,
    "\n  mutation UnassignRole($input: UnassignRoleInput!) {\n    unassignRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": types.UnassignRoleDocument,
    "\n  query DeleteRoleDialog($id: ID!) {\n    role(id: $id) {\n      id\n      holders {\n        kind\n        id\n        name\n      }\n    }\n  }\n": types.DeleteRoleDialogDocument,
    "\n  mutation DeleteRole($input: DeleteRoleInput!) {\n    deleteRole(input: $input) {\n      deletedRoleId\n    }\n  }\n": types.DeleteRoleDocument,
    "\n  fragment RoleChecklistDialog_Role on Role {\n    id\n    name\n    description\n    builtInRole\n    permissions\n  }\n": types.RoleChecklistDialog_RoleFragmentDoc,
    "\n  fragment RoleFormDialog_Role on Role {\n    id\n    name\n    description\n    permissions\n  }\n": types.RoleFormDialog_RoleFragmentDoc,
    "\n  fragment RoleFormDialog_Permission on PermissionInfo {\n    name\n    description\n  }\n": types.RoleFormDialog_PermissionFragmentDoc,
    "\n  mutation CreateRole($input: CreateRoleInput!) {\n    createRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": types.CreateRoleDocument,
    "\n  mutation UpdateRole($input: UpdateRoleInput!) {\n    updateRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": types.UpdateRoleDocument,
    "\n  mutation GrantPermission($input: GrantPermissionInput!) {\n    grantPermission(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": types.GrantPermissionDocument,
    "\n  mutation RevokePermission($input: RevokePermissionInput!) {\n    revokePermission(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n": types.RevokePermissionDocument,
    "\n  fragment RoleRow_Role on Role {\n    id\n    name\n    description\n    builtIn\n    builtInRole\n    permissions\n    ...RoleFormDialog_Role\n  }\n": types.RoleRow_RoleFragmentDoc,
    "\n  query RolesPage {\n    roles {\n      id\n      ...RoleRow_Role\n    }\n    permissions {\n      ...RoleFormDialog_Permission\n    }\n  }\n": types.RolesPageDocument,
    "\n  mutation CreateScimOAuthClient($input: CreateScimOAuthClientInput!) {\n    createScimOAuthClient(input: $input) {\n      scimOAuthClient {\n        id\n        clientId\n      }\n      clientSecret\n      tokenUrl\n    }\n  }\n": types.CreateScimOAuthClientDocument,
    "\n  mutation CreateScimToken($input: CreateScimTokenInput!) {\n    createScimToken(input: $input) {\n      scimToken {\n        id\n      }\n      token\n    }\n  }\n": types.CreateScimTokenDocument,
    "\n  fragment ScimGroupRow_ScimGroup on ScimGroup {\n    id\n    displayName\n    externalId\n    memberCount\n    roles {\n      id\n      name\n    }\n  }\n": types.ScimGroupRow_ScimGroupFragmentDoc,
    "\n  mutation MapScimGroupToRole($input: MapScimGroupToRoleInput!) {\n    mapScimGroupToRole(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n": types.MapScimGroupToRoleDocument,
    "\n  mutation UnmapScimGroupFromRole($input: UnmapScimGroupFromRoleInput!) {\n    unmapScimGroupFromRole(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n": types.UnmapScimGroupFromRoleDocument,
    "\n  fragment ScimOAuthClientRow_ScimOAuthClient on ScimOAuthClient {\n    id\n    name\n    clientId\n    status\n    createdAt\n    lastUsedAt\n  }\n": types.ScimOAuthClientRow_ScimOAuthClientFragmentDoc,
    "\n  mutation RevokeScimOAuthClient($input: RevokeScimOAuthClientInput!) {\n    revokeScimOAuthClient(input: $input) {\n      scimOAuthClient {\n        id\n        status\n      }\n    }\n  }\n": types.RevokeScimOAuthClientDocument,
    "\n  query ScimPage($withRoles: Boolean!) {\n    scimBaseUrl\n    scimTokenUrl\n    scimTokens {\n      id\n      ...ScimTokenRow_ScimToken\n    }\n    scimOAuthClients {\n      id\n      ...ScimOAuthClientRow_ScimOAuthClient\n    }\n    scimGroups {\n      id\n      ...ScimGroupRow_ScimGroup\n    }\n    roles @include(if: $withRoles) {\n      ...RoleChecklistDialog_Role\n    }\n  }\n": types.ScimPageDocument,
    "\n  fragment ScimTokenRow_ScimToken on ScimToken {\n    id\n    name\n    prefix\n    status\n    createdAt\n    expiresAt\n    lastUsedAt\n  }\n": types.ScimTokenRow_ScimTokenFragmentDoc,
    "\n  mutation RevokeScimToken($input: RevokeScimTokenInput!) {\n    revokeScimToken(input: $input) {\n      scimToken {\n        id\n        status\n      }\n    }\n  }\n": types.RevokeScimTokenDocument,
    "\n  fragment SecretFormDialog_Secret on Secret {\n    id\n    name\n    description\n  }\n": types.SecretFormDialog_SecretFragmentDoc,
    "\n  mutation CreateSecret($input: CreateSecretInput!) {\n    createSecret(input: $input) {\n      secret {\n        id\n      }\n    }\n  }\n": types.CreateSecretDocument,
    "\n  mutation UpdateSecret($input: UpdateSecretInput!) {\n    updateSecret(input: $input) {\n      secret {\n        id\n        ...SecretFormDialog_Secret\n      }\n    }\n  }\n": types.UpdateSecretDocument,
    "\n  fragment SecretRow_Secret on Secret {\n    id\n    name\n    description\n    createdAt\n    createdBy {\n      email\n      name\n    }\n    updatedAt\n    updatedBy {\n      email\n      name\n    }\n    ...SecretFormDialog_Secret\n  }\n": types.SecretRow_SecretFragmentDoc,
    "\n  mutation DeleteSecret($input: DeleteSecretInput!) {\n    deleteSecret(input: $input) {\n      deletedSecretId\n    }\n  }\n": types.DeleteSecretDocument,
    "\n  query SecretsPage {\n    secrets {\n      id\n      ...SecretRow_Secret\n    }\n  }\n": types.SecretsPageDocument,
    "\n  fragment ApiKeyRow_ApiKey on ApiKey {\n    id\n    name\n    prefix\n    status\n    createdAt\n    expiresAt\n    lastUsedAt\n  }\n": types.ApiKeyRow_ApiKeyFragmentDoc,
    "\n  mutation RevokeApiKey($input: RevokeApiKeyInput!) {\n    revokeApiKey(input: $input) {\n      apiKey {\n        id\n        status\n      }\n    }\n  }\n": types.RevokeApiKeyDocument,
    "\n  mutation RotateApiKey($input: RotateApiKeyInput!) {\n    rotateApiKey(input: $input) {\n      key\n    }\n  }\n": types.RotateApiKeyDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation CreateServiceAccount($input: CreateServiceAccountInput!) {\n    createServiceAccount(input: $input) {\n      serviceAccount {\n        id\n      }\n    }\n  }\n": types.CreateServiceAccountDocument,
    "\n  mutation UpdateServiceAccount($input: UpdateServiceAccountInput!) {\n    updateServiceAccount(input: $input) {\n      serviceAccount {\n        id\n        name\n        description\n      }\n    }\n  }\n": types.UpdateServiceAccountDocument,
    "\n  fragment ServiceAccountCard_ServiceAccount on ServiceAccount {\n    id\n    name\n    description\n    roles {\n      id\n      name\n      permissions\n    }\n    apiKeys {\n      id\n      ...ApiKeyRow_ApiKey\n    }\n  }\n": types.ServiceAccountCard_ServiceAccountFragmentDoc,
    "\n  mutation DeleteServiceAccount($input: DeleteServiceAccountInput!) {\n    deleteServiceAccount(input: $input) {\n      deletedServiceAccountId\n    }\n  }\n": types.DeleteServiceAccountDocument,
    "\n  query ServiceAccountsPage($withRoles: Boolean!) {\n    serviceAccounts {\n      id\n      ...ServiceAccountCard_ServiceAccount\n    }\n    roles @include(if: $withRoles) {\n      ...RoleChecklistDialog_Role\n    }\n  }\n": types.ServiceAccountsPageDocument,
    "\n  query SignInPage($organizationId: ID) {\n    signInOptions(organizationId: $organizationId) {\n      magicLink\n      providers {\n        id\n        name\n        loginUrl\n      }\n    }\n  }\n": types.SignInPageDocument,
    "\n  query SignInPageOrganizations {\n    viewer {\n      organizations {\n        id\n        name\n      }\n    }\n  }\n": types.SignInPageOrganizationsDocument,
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
export function graphql(source: "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      organization {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      organization {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SwitchToJoinedOrganization($input: SwitchOrganizationInput!) {\n    switchOrganization(input: $input) {\n      viewer {\n        organization {\n          id\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SwitchToJoinedOrganization($input: SwitchOrganizationInput!) {\n    switchOrganization(input: $input) {\n      viewer {\n        organization {\n          id\n        }\n      }\n    }\n  }\n"];
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
export function graphql(source: "\n  fragment ApiAccessKeyFormDialog_ApiAccessKey on ApiAccessKey {\n    id\n    name\n    permissions\n    expiresAt\n  }\n"): (typeof documents)["\n  fragment ApiAccessKeyFormDialog_ApiAccessKey on ApiAccessKey {\n    id\n    name\n    permissions\n    expiresAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiAccessKeyFormDialog_Permission on PermissionInfo {\n    name\n    description\n  }\n"): (typeof documents)["\n  fragment ApiAccessKeyFormDialog_Permission on PermissionInfo {\n    name\n    description\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiAccessKey($input: CreateApiAccessKeyInput!) {\n    createApiAccessKey(input: $input) {\n      apiAccessKey {\n        id\n      }\n      key\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiAccessKey($input: CreateApiAccessKeyInput!) {\n    createApiAccessKey(input: $input) {\n      apiAccessKey {\n        id\n      }\n      key\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateApiAccessKey($input: UpdateApiAccessKeyInput!) {\n    updateApiAccessKey(input: $input) {\n      apiAccessKey {\n        id\n        ...ApiAccessKeyFormDialog_ApiAccessKey\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateApiAccessKey($input: UpdateApiAccessKeyInput!) {\n    updateApiAccessKey(input: $input) {\n      apiAccessKey {\n        id\n        ...ApiAccessKeyFormDialog_ApiAccessKey\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiAccessKeyRow_ApiAccessKey on ApiAccessKey {\n    id\n    name\n    prefix\n    permissions\n    status\n    createdAt\n    expiresAt\n    lastUsedAt\n    createdBy {\n      email\n    }\n    ...ApiAccessKeyFormDialog_ApiAccessKey\n  }\n"): (typeof documents)["\n  fragment ApiAccessKeyRow_ApiAccessKey on ApiAccessKey {\n    id\n    name\n    prefix\n    permissions\n    status\n    createdAt\n    expiresAt\n    lastUsedAt\n    createdBy {\n      email\n    }\n    ...ApiAccessKeyFormDialog_ApiAccessKey\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteApiAccessKey($input: DeleteApiAccessKeyInput!) {\n    deleteApiAccessKey(input: $input) {\n      deletedApiAccessKeyId\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteApiAccessKey($input: DeleteApiAccessKeyInput!) {\n    deleteApiAccessKey(input: $input) {\n      deletedApiAccessKeyId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiAccessKeysPage {\n    apiAccessKeys {\n      id\n      ...ApiAccessKeyRow_ApiAccessKey\n    }\n    permissions {\n      ...ApiAccessKeyFormDialog_Permission\n    }\n  }\n"): (typeof documents)["\n  query ApiAccessKeysPage {\n    apiAccessKeys {\n      id\n      ...ApiAccessKeyRow_ApiAccessKey\n    }\n    permissions {\n      ...ApiAccessKeyFormDialog_Permission\n    }\n  }\n"];
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
export function graphql(source: "\n  query AuditEventProof($id: ID!) {\n    auditEvent(id: $id) {\n      id\n      sequence\n      inclusionProof {\n        treeSize\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditEventProof($id: ID!) {\n    auditEvent(id: $id) {\n      id\n      sequence\n      inclusionProof {\n        treeSize\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditEventRow_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    action\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n      name\n    }\n    details\n  }\n"): (typeof documents)["\n  fragment AuditEventRow_Event on AuditEvent {\n    id\n    occurredAt\n    category\n    action\n    actionLabel\n    actor {\n      type\n      id\n      email\n      name\n    }\n    resource {\n      type\n      id\n      name\n    }\n    details\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditFilters_Category on AuditCategoryInfo {\n    category\n    label\n    actions {\n      action\n      label\n    }\n  }\n"): (typeof documents)["\n  fragment AuditFilters_Category on AuditCategoryInfo {\n    category\n    label\n    actions {\n      action\n      label\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLogPage {\n    organization {\n      id\n      settings {\n        auditRetentionDays\n      }\n    }\n    auditCategories {\n      category\n      actions {\n        action\n      }\n      ...AuditFilters_Category\n      ...CategoryLabels_Category\n    }\n  }\n"): (typeof documents)["\n  query AuditLogPage {\n    organization {\n      id\n      settings {\n        auditRetentionDays\n      }\n    }\n    auditCategories {\n      category\n      actions {\n        action\n      }\n      ...AuditFilters_Category\n      ...CategoryLabels_Category\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLogVerification {\n    auditLogCheckpoint {\n      size\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query AuditLogVerification {\n    auditLogCheckpoint {\n      size\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditTimeline($filter: AuditEventFilter) {\n    auditTimeline(filter: $filter) {\n      from\n      to\n      interval\n      total\n      buckets {\n        start\n        end\n        count\n        categories {\n          category\n          count\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditTimeline($filter: AuditEventFilter) {\n    auditTimeline(filter: $filter) {\n      from\n      to\n      interval\n      total\n      buckets {\n        start\n        end\n        count\n        categories {\n          category\n          count\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditQueryCheck($query: String!, $timeZone: String) {\n    auditQueryCheck(query: $query, timeZone: $timeZone) {\n      error {\n        message\n        token\n        start\n        end\n      }\n      clauses {\n        key\n        negated\n        value\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditQueryCheck($query: String!, $timeZone: String) {\n    auditQueryCheck(query: $query, timeZone: $timeZone) {\n      error {\n        message\n        token\n        start\n        end\n      }\n      clauses {\n        key\n        negated\n        value\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CategoryLabels_Category on AuditCategoryInfo {\n    category\n    label\n    shortLabel\n  }\n"): (typeof documents)["\n  fragment CategoryLabels_Category on AuditCategoryInfo {\n    category\n    label\n    shortLabel\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LogStreamFormDialog_Destination on LogStreamDestinationInfo {\n    destination\n    label\n    formats\n    configFields {\n      name\n      label\n      description\n      kind\n      required\n      default\n      options\n    }\n    credentialFields {\n      name\n      label\n      description\n      kind\n      required\n      default\n      options\n    }\n  }\n"): (typeof documents)["\n  fragment LogStreamFormDialog_Destination on LogStreamDestinationInfo {\n    destination\n    label\n    formats\n    configFields {\n      name\n      label\n      description\n      kind\n      required\n      default\n      options\n    }\n    credentialFields {\n      name\n      label\n      description\n      kind\n      required\n      default\n      options\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LogStreamFormDialog_Category on AuditCategoryInfo {\n    category\n    label\n  }\n"): (typeof documents)["\n  fragment LogStreamFormDialog_Category on AuditCategoryInfo {\n    category\n    label\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LogStreamFormDialog_LogStream on LogStream {\n    id\n    name\n    destination\n    format\n    config\n    credentialFields\n    categories\n    actions\n  }\n"): (typeof documents)["\n  fragment LogStreamFormDialog_LogStream on LogStream {\n    id\n    name\n    destination\n    format\n    config\n    credentialFields\n    categories\n    actions\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateLogStream($input: CreateLogStreamInput!) {\n    createLogStream(input: $input) {\n      logStream {\n        id\n      }\n      signingSecret\n    }\n  }\n"): (typeof documents)["\n  mutation CreateLogStream($input: CreateLogStreamInput!) {\n    createLogStream(input: $input) {\n      logStream {\n        id\n      }\n      signingSecret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateLogStream($input: UpdateLogStreamInput!) {\n    updateLogStream(input: $input) {\n      logStream {\n        id\n        ...LogStreamFormDialog_LogStream\n      }\n      signingSecret\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateLogStream($input: UpdateLogStreamInput!) {\n    updateLogStream(input: $input) {\n      logStream {\n        id\n        ...LogStreamFormDialog_LogStream\n      }\n      signingSecret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LogStreamRow_LogStream on LogStream {\n    id\n    name\n    destination\n    format\n    state\n    lagEvents\n    lagSeconds\n    lastDeliveryAt\n    lastError\n    lastErrorAt\n    failureReason\n    nextAttemptAt\n    deliveredEvents\n    resentEvents\n    ...LogStreamFormDialog_LogStream\n  }\n"): (typeof documents)["\n  fragment LogStreamRow_LogStream on LogStream {\n    id\n    name\n    destination\n    format\n    state\n    lagEvents\n    lagSeconds\n    lastDeliveryAt\n    lastError\n    lastErrorAt\n    failureReason\n    nextAttemptAt\n    deliveredEvents\n    resentEvents\n    ...LogStreamFormDialog_LogStream\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PauseLogStream($input: PauseLogStreamInput!) {\n    pauseLogStream(input: $input) {\n      logStream {\n        id\n        state\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation PauseLogStream($input: PauseLogStreamInput!) {\n    pauseLogStream(input: $input) {\n      logStream {\n        id\n        state\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResumeLogStream($input: ResumeLogStreamInput!) {\n    resumeLogStream(input: $input) {\n      logStream {\n        id\n        state\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ResumeLogStream($input: ResumeLogStreamInput!) {\n    resumeLogStream(input: $input) {\n      logStream {\n        id\n        state\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteLogStream($input: DeleteLogStreamInput!) {\n    deleteLogStream(input: $input) {\n      deletedLogStreamId\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteLogStream($input: DeleteLogStreamInput!) {\n    deleteLogStream(input: $input) {\n      deletedLogStreamId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestLogStream($input: TestLogStreamInput!) {\n    testLogStream(input: $input) {\n      ok\n      message\n      durationMs\n    }\n  }\n"): (typeof documents)["\n  mutation TestLogStream($input: TestLogStreamInput!) {\n    testLogStream(input: $input) {\n      ok\n      message\n      durationMs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LogStreamsPage {\n    logStreams {\n      id\n      ...LogStreamRow_LogStream\n    }\n    logStreamDestinations {\n      ...LogStreamFormDialog_Destination\n    }\n    auditCategories {\n      ...LogStreamFormDialog_Category\n    }\n  }\n"): (typeof documents)["\n  query LogStreamsPage {\n    logStreams {\n      id\n      ...LogStreamRow_LogStream\n    }\n    logStreamDestinations {\n      ...LogStreamFormDialog_Destination\n    }\n    auditCategories {\n      ...LogStreamFormDialog_Category\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AuditEventsAdded($filter: AuditEventFilter) {\n    auditEventsAdded(filter: $filter) {\n      id\n      ...AuditEventRow_Event\n      ...AuditEventDetail_Event\n    }\n  }\n"): (typeof documents)["\n  subscription AuditEventsAdded($filter: AuditEventFilter) {\n    auditEventsAdded(filter: $filter) {\n      id\n      ...AuditEventRow_Event\n      ...AuditEventDetail_Event\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConnectorFormDialog_ConnectorType on ConnectorTypeInfo {\n    type\n    label\n    configFields {\n      name\n      label\n      description\n      kind\n      required\n      default\n      options\n    }\n    credentialFields {\n      name\n      label\n      description\n      kind\n      required\n      default\n      options\n    }\n  }\n"): (typeof documents)["\n  fragment ConnectorFormDialog_ConnectorType on ConnectorTypeInfo {\n    type\n    label\n    configFields {\n      name\n      label\n      description\n      kind\n      required\n      default\n      options\n    }\n    credentialFields {\n      name\n      label\n      description\n      kind\n      required\n      default\n      options\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConnectorFormDialog_Connector on Connector {\n    id\n    name\n    type\n    config\n    credentialFields\n  }\n"): (typeof documents)["\n  fragment ConnectorFormDialog_Connector on Connector {\n    id\n    name\n    type\n    config\n    credentialFields\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateConnector($input: CreateConnectorInput!) {\n    createConnector(input: $input) {\n      connector {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateConnector($input: CreateConnectorInput!) {\n    createConnector(input: $input) {\n      connector {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateConnector($input: UpdateConnectorInput!) {\n    updateConnector(input: $input) {\n      connector {\n        id\n        ...ConnectorFormDialog_Connector\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateConnector($input: UpdateConnectorInput!) {\n    updateConnector(input: $input) {\n      connector {\n        id\n        ...ConnectorFormDialog_Connector\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConnectorLastTest_Connector on Connector {\n    lastTest {\n      ok\n      message\n      testedAt\n      durationMs\n    }\n  }\n"): (typeof documents)["\n  fragment ConnectorLastTest_Connector on Connector {\n    lastTest {\n      ok\n      message\n      testedAt\n      durationMs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConnectorRow_Connector on Connector {\n    id\n    name\n    type\n    config\n    credentialFields\n    updatedAt\n    ...ConnectorLastTest_Connector\n    ...ConnectorFormDialog_Connector\n  }\n"): (typeof documents)["\n  fragment ConnectorRow_Connector on Connector {\n    id\n    name\n    type\n    config\n    credentialFields\n    updatedAt\n    ...ConnectorLastTest_Connector\n    ...ConnectorFormDialog_Connector\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteConnector($input: DeleteConnectorInput!) {\n    deleteConnector(input: $input) {\n      deletedConnectorId\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteConnector($input: DeleteConnectorInput!) {\n    deleteConnector(input: $input) {\n      deletedConnectorId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestConnector($input: TestConnectorInput!) {\n    testConnector(input: $input) {\n      supported\n      ok\n      message\n      durationMs\n    }\n  }\n"): (typeof documents)["\n  mutation TestConnector($input: TestConnectorInput!) {\n    testConnector(input: $input) {\n      supported\n      ok\n      message\n      durationMs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConnectorsPage {\n    connectors {\n      id\n      ...ConnectorRow_Connector\n    }\n    connectorTypes {\n      ...ConnectorFormDialog_ConnectorType\n    }\n  }\n"): (typeof documents)["\n  query ConnectorsPage {\n    connectors {\n      id\n      ...ConnectorRow_Connector\n    }\n    connectorTypes {\n      ...ConnectorFormDialog_ConnectorType\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEventsHiddenByRetention($retentionDays: Int!) {\n    auditEventsHiddenByRetention(retentionDays: $retentionDays)\n  }\n"): (typeof documents)["\n  query AuditEventsHiddenByRetention($retentionDays: Int!) {\n    auditEventsHiddenByRetention(retentionDays: $retentionDays)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteOrganization($input: DeleteOrganizationInput!) {\n    deleteOrganization(input: $input) {\n      deletedOrganizationId\n      viewer {\n        organization {\n          id\n          name\n        }\n      }\n      signInUrl\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteOrganization($input: DeleteOrganizationInput!) {\n    deleteOrganization(input: $input) {\n      deletedOrganizationId\n      viewer {\n        organization {\n          id\n          name\n        }\n      }\n      signInUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DeleteOrganizationSection_Organization on Organization {\n    id\n    name\n  }\n"): (typeof documents)["\n  fragment DeleteOrganizationSection_Organization on Organization {\n    id\n    name\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GeneralPage {\n    organization {\n      id\n      ...OrganizationSettingsForm_Organization\n      ...DeleteOrganizationSection_Organization\n    }\n    viewer {\n      signIn {\n        method\n        providerName\n      }\n    }\n  }\n"): (typeof documents)["\n  query GeneralPage {\n    organization {\n      id\n      ...OrganizationSettingsForm_Organization\n      ...DeleteOrganizationSection_Organization\n    }\n    viewer {\n      signIn {\n        method\n        providerName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrganizationSettingsForm_Organization on Organization {\n    id\n    name\n    settings {\n      sessionLifetimeHours\n      sessionIdleMinutes\n      signInMethods\n      auditRetentionDays\n    }\n  }\n"): (typeof documents)["\n  fragment OrganizationSettingsForm_Organization on Organization {\n    id\n    name\n    settings {\n      sessionLifetimeHours\n      sessionIdleMinutes\n      signInMethods\n      auditRetentionDays\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateOrganizationSettings($input: UpdateOrganizationSettingsInput!) {\n    updateOrganizationSettings(input: $input) {\n      organization {\n        id\n        ...OrganizationSettingsForm_Organization\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateOrganizationSettings($input: UpdateOrganizationSettingsInput!) {\n    updateOrganizationSettings(input: $input) {\n      organization {\n        id\n        ...OrganizationSettingsForm_Organization\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IdentityProvidersPage {\n    organization {\n      id\n    }\n    viewer {\n      signIn {\n        providerId\n      }\n    }\n    oidcProviders {\n      id\n      ...OidcProviderCard_OidcProvider\n    }\n  }\n"): (typeof documents)["\n  query IdentityProvidersPage {\n    organization {\n      id\n    }\n    viewer {\n      signIn {\n        providerId\n      }\n    }\n    oidcProviders {\n      id\n      ...OidcProviderCard_OidcProvider\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OidcProviderCard_OidcProvider on OidcProvider {\n    id\n    name\n    issuer\n    clientId\n    hasClientSecret\n    scopes\n    callbackUrl\n    testUrl\n    organizations {\n      id\n      name\n    }\n    ...OidcProviderFormDialog_OidcProvider\n  }\n"): (typeof documents)["\n  fragment OidcProviderCard_OidcProvider on OidcProvider {\n    id\n    name\n    issuer\n    clientId\n    hasClientSecret\n    scopes\n    callbackUrl\n    testUrl\n    organizations {\n      id\n      name\n    }\n    ...OidcProviderFormDialog_OidcProvider\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddOidcProviderToOrganization($input: AddOidcProviderToOrganizationInput!) {\n    addOidcProviderToOrganization(input: $input) {\n      oidcProvider {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AddOidcProviderToOrganization($input: AddOidcProviderToOrganizationInput!) {\n    addOidcProviderToOrganization(input: $input) {\n      oidcProvider {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveOidcProviderFromOrganization($input: RemoveOidcProviderFromOrganizationInput!) {\n    removeOidcProviderFromOrganization(input: $input) {\n      oidcProvider {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveOidcProviderFromOrganization($input: RemoveOidcProviderFromOrganizationInput!) {\n    removeOidcProviderFromOrganization(input: $input) {\n      oidcProvider {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteOidcProvider($input: DeleteOidcProviderInput!) {\n    deleteOidcProvider(input: $input) {\n      deletedOidcProviderId\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteOidcProvider($input: DeleteOidcProviderInput!) {\n    deleteOidcProvider(input: $input) {\n      deletedOidcProviderId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OidcProviderFormDialog_OidcProvider on OidcProvider {\n    id\n    name\n    issuer\n    clientId\n    hasClientSecret\n    scopes\n  }\n"): (typeof documents)["\n  fragment OidcProviderFormDialog_OidcProvider on OidcProvider {\n    id\n    name\n    issuer\n    clientId\n    hasClientSecret\n    scopes\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateOidcProvider($input: CreateOidcProviderInput!) {\n    createOidcProvider(input: $input) {\n      oidcProvider {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateOidcProvider($input: CreateOidcProviderInput!) {\n    createOidcProvider(input: $input) {\n      oidcProvider {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateOidcProvider($input: UpdateOidcProviderInput!) {\n    updateOidcProvider(input: $input) {\n      oidcProvider {\n        id\n        ...OidcProviderFormDialog_OidcProvider\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateOidcProvider($input: UpdateOidcProviderInput!) {\n    updateOidcProvider(input: $input) {\n      oidcProvider {\n        id\n        ...OidcProviderFormDialog_OidcProvider\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LinkNewOidcProvider($input: AddOidcProviderToOrganizationInput!) {\n    addOidcProviderToOrganization(input: $input) {\n      oidcProvider {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation LinkNewOidcProvider($input: AddOidcProviderToOrganizationInput!) {\n    addOidcProviderToOrganization(input: $input) {\n      oidcProvider {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RedirectUriNote {\n    oidcRedirectUri\n  }\n"): (typeof documents)["\n  query RedirectUriNote {\n    oidcRedirectUri\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SignInTestResult($result: String!) {\n    oidcSignInTest(result: $result) {\n      providerName\n      organizationName\n      succeeded\n      problem {\n        code\n        message\n        providerError\n        providerErrorDescription\n      }\n      claims {\n        name\n        value\n        source\n      }\n      signIn {\n        canSignIn\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  query SignInTestResult($result: String!) {\n    oidcSignInTest(result: $result) {\n      providerName\n      organizationName\n      succeeded\n      problem {\n        code\n        message\n        providerError\n        providerErrorDescription\n      }\n      claims {\n        name\n        value\n        source\n      }\n      signIn {\n        canSignIn\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InvitationsTable_Invitation on Invitation {\n    id\n    email\n    roles {\n      id\n      name\n    }\n    createdAt\n    expiresAt\n  }\n"): (typeof documents)["\n  fragment InvitationsTable_Invitation on Invitation {\n    id\n    email\n    roles {\n      id\n      name\n    }\n    createdAt\n    expiresAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WithdrawInvitation($input: WithdrawInvitationInput!) {\n    withdrawInvitation(input: $input) {\n      withdrawnInvitationId\n    }\n  }\n"): (typeof documents)["\n  mutation WithdrawInvitation($input: WithdrawInvitationInput!) {\n    withdrawInvitation(input: $input) {\n      withdrawnInvitationId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      invitation {\n        id\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      invitation {\n        id\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MemberRow_Member on Member {\n    user {\n      id\n      email\n      name\n    }\n    status\n    joinedAt\n    roles {\n      id\n      name\n    }\n    provisionedByScim\n    scimRoleGrants {\n      roleId\n      groups\n    }\n  }\n"): (typeof documents)["\n  fragment MemberRow_Member on Member {\n    user {\n      id\n      email\n      name\n    }\n    status\n    joinedAt\n    roles {\n      id\n      name\n    }\n    provisionedByScim\n    scimRoleGrants {\n      roleId\n      groups\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input) {\n      removedUserId\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input) {\n      removedUserId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MembersPage($withRoles: Boolean!) {\n    members {\n      user {\n        id\n      }\n      ...MemberRow_Member\n    }\n    invitations {\n      ...InvitationsTable_Invitation\n    }\n    roles @include(if: $withRoles) {\n      ...RoleChecklistDialog_Role\n    }\n  }\n"): (typeof documents)["\n  query MembersPage($withRoles: Boolean!) {\n    members {\n      user {\n        id\n      }\n      ...MemberRow_Member\n    }\n    invitations {\n      ...InvitationsTable_Invitation\n    }\n    roles @include(if: $withRoles) {\n      ...RoleChecklistDialog_Role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AssignRole($input: AssignRoleInput!) {\n    assignRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AssignRole($input: AssignRoleInput!) {\n    assignRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnassignRole($input: UnassignRoleInput!) {\n    unassignRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UnassignRole($input: UnassignRoleInput!) {\n    unassignRole(input: $input) {\n      role {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeleteRoleDialog($id: ID!) {\n    role(id: $id) {\n      id\n      holders {\n        kind\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query DeleteRoleDialog($id: ID!) {\n    role(id: $id) {\n      id\n      holders {\n        kind\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteRole($input: DeleteRoleInput!) {\n    deleteRole(input: $input) {\n      deletedRoleId\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteRole($input: DeleteRoleInput!) {\n    deleteRole(input: $input) {\n      deletedRoleId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RoleChecklistDialog_Role on Role {\n    id\n    name\n    description\n    builtInRole\n    permissions\n  }\n"): (typeof documents)["\n  fragment RoleChecklistDialog_Role on Role {\n    id\n    name\n    description\n    builtInRole\n    permissions\n  }\n"];
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
export function graphql(source: "\n  fragment RoleRow_Role on Role {\n    id\n    name\n    description\n    builtIn\n    builtInRole\n    permissions\n    ...RoleFormDialog_Role\n  }\n"): (typeof documents)["\n  fragment RoleRow_Role on Role {\n    id\n    name\n    description\n    builtIn\n    builtInRole\n    permissions\n    ...RoleFormDialog_Role\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RolesPage {\n    roles {\n      id\n      ...RoleRow_Role\n    }\n    permissions {\n      ...RoleFormDialog_Permission\n    }\n  }\n"): (typeof documents)["\n  query RolesPage {\n    roles {\n      id\n      ...RoleRow_Role\n    }\n    permissions {\n      ...RoleFormDialog_Permission\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateScimOAuthClient($input: CreateScimOAuthClientInput!) {\n    createScimOAuthClient(input: $input) {\n      scimOAuthClient {\n        id\n        clientId\n      }\n      clientSecret\n      tokenUrl\n    }\n  }\n"): (typeof documents)["\n  mutation CreateScimOAuthClient($input: CreateScimOAuthClientInput!) {\n    createScimOAuthClient(input: $input) {\n      scimOAuthClient {\n        id\n        clientId\n      }\n      clientSecret\n      tokenUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateScimToken($input: CreateScimTokenInput!) {\n    createScimToken(input: $input) {\n      scimToken {\n        id\n      }\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation CreateScimToken($input: CreateScimTokenInput!) {\n    createScimToken(input: $input) {\n      scimToken {\n        id\n      }\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ScimGroupRow_ScimGroup on ScimGroup {\n    id\n    displayName\n    externalId\n    memberCount\n    roles {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment ScimGroupRow_ScimGroup on ScimGroup {\n    id\n    displayName\n    externalId\n    memberCount\n    roles {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MapScimGroupToRole($input: MapScimGroupToRoleInput!) {\n    mapScimGroupToRole(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation MapScimGroupToRole($input: MapScimGroupToRoleInput!) {\n    mapScimGroupToRole(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnmapScimGroupFromRole($input: UnmapScimGroupFromRoleInput!) {\n    unmapScimGroupFromRole(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UnmapScimGroupFromRole($input: UnmapScimGroupFromRoleInput!) {\n    unmapScimGroupFromRole(input: $input) {\n      group {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ScimOAuthClientRow_ScimOAuthClient on ScimOAuthClient {\n    id\n    name\n    clientId\n    status\n    createdAt\n    lastUsedAt\n  }\n"): (typeof documents)["\n  fragment ScimOAuthClientRow_ScimOAuthClient on ScimOAuthClient {\n    id\n    name\n    clientId\n    status\n    createdAt\n    lastUsedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeScimOAuthClient($input: RevokeScimOAuthClientInput!) {\n    revokeScimOAuthClient(input: $input) {\n      scimOAuthClient {\n        id\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeScimOAuthClient($input: RevokeScimOAuthClientInput!) {\n    revokeScimOAuthClient(input: $input) {\n      scimOAuthClient {\n        id\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ScimPage($withRoles: Boolean!) {\n    scimBaseUrl\n    scimTokenUrl\n    scimTokens {\n      id\n      ...ScimTokenRow_ScimToken\n    }\n    scimOAuthClients {\n      id\n      ...ScimOAuthClientRow_ScimOAuthClient\n    }\n    scimGroups {\n      id\n      ...ScimGroupRow_ScimGroup\n    }\n    roles @include(if: $withRoles) {\n      ...RoleChecklistDialog_Role\n    }\n  }\n"): (typeof documents)["\n  query ScimPage($withRoles: Boolean!) {\n    scimBaseUrl\n    scimTokenUrl\n    scimTokens {\n      id\n      ...ScimTokenRow_ScimToken\n    }\n    scimOAuthClients {\n      id\n      ...ScimOAuthClientRow_ScimOAuthClient\n    }\n    scimGroups {\n      id\n      ...ScimGroupRow_ScimGroup\n    }\n    roles @include(if: $withRoles) {\n      ...RoleChecklistDialog_Role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ScimTokenRow_ScimToken on ScimToken {\n    id\n    name\n    prefix\n    status\n    createdAt\n    expiresAt\n    lastUsedAt\n  }\n"): (typeof documents)["\n  fragment ScimTokenRow_ScimToken on ScimToken {\n    id\n    name\n    prefix\n    status\n    createdAt\n    expiresAt\n    lastUsedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeScimToken($input: RevokeScimTokenInput!) {\n    revokeScimToken(input: $input) {\n      scimToken {\n        id\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeScimToken($input: RevokeScimTokenInput!) {\n    revokeScimToken(input: $input) {\n      scimToken {\n        id\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SecretFormDialog_Secret on Secret {\n    id\n    name\n    description\n  }\n"): (typeof documents)["\n  fragment SecretFormDialog_Secret on Secret {\n    id\n    name\n    description\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSecret($input: CreateSecretInput!) {\n    createSecret(input: $input) {\n      secret {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSecret($input: CreateSecretInput!) {\n    createSecret(input: $input) {\n      secret {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSecret($input: UpdateSecretInput!) {\n    updateSecret(input: $input) {\n      secret {\n        id\n        ...SecretFormDialog_Secret\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateSecret($input: UpdateSecretInput!) {\n    updateSecret(input: $input) {\n      secret {\n        id\n        ...SecretFormDialog_Secret\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SecretRow_Secret on Secret {\n    id\n    name\n    description\n    createdAt\n    createdBy {\n      email\n      name\n    }\n    updatedAt\n    updatedBy {\n      email\n      name\n    }\n    ...SecretFormDialog_Secret\n  }\n"): (typeof documents)["\n  fragment SecretRow_Secret on Secret {\n    id\n    name\n    description\n    createdAt\n    createdBy {\n      email\n      name\n    }\n    updatedAt\n    updatedBy {\n      email\n      name\n    }\n    ...SecretFormDialog_Secret\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSecret($input: DeleteSecretInput!) {\n    deleteSecret(input: $input) {\n      deletedSecretId\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteSecret($input: DeleteSecretInput!) {\n    deleteSecret(input: $input) {\n      deletedSecretId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecretsPage {\n    secrets {\n      id\n      ...SecretRow_Secret\n    }\n  }\n"): (typeof documents)["\n  query SecretsPage {\n    secrets {\n      id\n      ...SecretRow_Secret\n    }\n  }\n"];
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
export function graphql(source: "\n  mutation UpdateServiceAccount($input: UpdateServiceAccountInput!) {\n    updateServiceAccount(input: $input) {\n      serviceAccount {\n        id\n        name\n        description\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateServiceAccount($input: UpdateServiceAccountInput!) {\n    updateServiceAccount(input: $input) {\n      serviceAccount {\n        id\n        name\n        description\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ServiceAccountCard_ServiceAccount on ServiceAccount {\n    id\n    name\n    description\n    roles {\n      id\n      name\n      permissions\n    }\n    apiKeys {\n      id\n      ...ApiKeyRow_ApiKey\n    }\n  }\n"): (typeof documents)["\n  fragment ServiceAccountCard_ServiceAccount on ServiceAccount {\n    id\n    name\n    description\n    roles {\n      id\n      name\n      permissions\n    }\n    apiKeys {\n      id\n      ...ApiKeyRow_ApiKey\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteServiceAccount($input: DeleteServiceAccountInput!) {\n    deleteServiceAccount(input: $input) {\n      deletedServiceAccountId\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteServiceAccount($input: DeleteServiceAccountInput!) {\n    deleteServiceAccount(input: $input) {\n      deletedServiceAccountId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServiceAccountsPage($withRoles: Boolean!) {\n    serviceAccounts {\n      id\n      ...ServiceAccountCard_ServiceAccount\n    }\n    roles @include(if: $withRoles) {\n      ...RoleChecklistDialog_Role\n    }\n  }\n"): (typeof documents)["\n  query ServiceAccountsPage($withRoles: Boolean!) {\n    serviceAccounts {\n      id\n      ...ServiceAccountCard_ServiceAccount\n    }\n    roles @include(if: $withRoles) {\n      ...RoleChecklistDialog_Role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SignInPage($organizationId: ID) {\n    signInOptions(organizationId: $organizationId) {\n      magicLink\n      providers {\n        id\n        name\n        loginUrl\n      }\n    }\n  }\n"): (typeof documents)["\n  query SignInPage($organizationId: ID) {\n    signInOptions(organizationId: $organizationId) {\n      magicLink\n      providers {\n        id\n        name\n        loginUrl\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SignInPageOrganizations {\n    viewer {\n      organizations {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query SignInPageOrganizations {\n    viewer {\n      organizations {\n        id\n        name\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
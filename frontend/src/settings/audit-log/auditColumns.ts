/** auditColumns are the Audit Log table's columns, as the spec lists them. */
export const auditColumns = ['Time', 'Actor', 'Action', 'Category', 'Resource'] as const;

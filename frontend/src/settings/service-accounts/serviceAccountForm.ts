import { z } from '../../forms/zod';

/** serviceAccountSchema is the server's rules for a service account, checked here first to answer sooner. */
export const serviceAccountSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(64, 'Use at most 64 characters'),
  description: z.string().trim().max(500, 'Use at most 500 characters'),
});

export type ServiceAccountForm = z.infer<typeof serviceAccountSchema>;

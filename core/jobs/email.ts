import { z } from 'zod'

export const EmailTemplateSchema = z.enum([
  'verify-email',
  'reset-password',
  'magic-link',
  'org-invitation',
])
export type EmailTemplate = z.infer<typeof EmailTemplateSchema>

export const SendEmailPayloadSchema = z.object({
  version: z.literal(1),
  template: EmailTemplateSchema,
  to: z.email(),
  locale: z.enum(['ru', 'en']),
  data: z.object({
    url: z.url(),
    name: z.string().max(200).optional(),
    organizationName: z.string().max(200).optional(),
    inviterName: z.string().max(200).optional(),
  }),
})
export type SendEmailPayload = z.infer<typeof SendEmailPayloadSchema>

export const sendEmailJob = {
  queue: 'email',
  name: 'send-email',
  version: 1,
  schema: SendEmailPayloadSchema,
} as const

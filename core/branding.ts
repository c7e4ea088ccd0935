import { z } from 'zod'

/** An organization's look, kept in better-auth's organization.metadata JSON. */
export const BrandingSchema = z.object({
  brandColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .optional(),
  logoUrl: z
    .string()
    .max(500)
    .refine((url) => /^(https:\/\/|\/)/.test(url), 'must be https:// or a path on this server')
    .optional(),
})
export type Branding = z.infer<typeof BrandingSchema>

export function parseBranding(metadata: string | null | undefined): Branding {
  if (!metadata) return {}
  try {
    const parsed = BrandingSchema.safeParse(JSON.parse(metadata))
    return parsed.success ? parsed.data : {}
  } catch {
    return {}
  }
}

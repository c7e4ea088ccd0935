// better-auth: email + password with verification, password reset, magic links, organizations and
// anonymous guest sessions. Emails are queued for the workers process (BullMQ), never sent inline.
import { betterAuth } from 'better-auth'
import { anonymous, magicLink, organization } from 'better-auth/plugins'
import type { Database } from '#core/db/client.ts'
import type { Queues } from './queues.ts'

export const GUEST_EMAIL_DOMAIN = 'guest.vstrecha.invalid'

type Locale = 'ru' | 'en'
const asLocale = (value: unknown): Locale => (value === 'ru' ? 'ru' : 'en')

export function createAuth(options: {
  db: Database
  secret: string
  baseURL: string
  trustedOrigins: string[]
  queues: Queues
}) {
  const { db, queues } = options

  const localeOfEmail = async (email: string): Promise<Locale> => {
    const row = await db
      .selectFrom('user')
      .select('locale')
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst()
    return asLocale(row?.locale)
  }

  return betterAuth({
    appName: 'Vstrecha',
    secret: options.secret,
    baseURL: options.baseURL,
    basePath: '/api/auth',
    trustedOrigins: options.trustedOrigins,
    database: { db, type: 'postgres' },
    // Our own Redis-backed limits cover these endpoints (server/rate-limit.ts).
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    user: {
      additionalFields: {
        locale: { type: 'string', required: false, defaultValue: 'en', input: true },
      },
    },
    session: {
      expiresIn: 60 * 60 * 24 * 30,
      updateAge: 60 * 60 * 24,
    },
    advanced: {
      cookiePrefix: 'vstrecha',
      database: { generateId: () => crypto.randomUUID() },
    },
    emailAndPassword: {
      enabled: true,
      requireEmailVerification: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      resetPasswordTokenExpiresIn: 60 * 60,
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user, url }) => {
        await queues.enqueueEmail({
          template: 'reset-password',
          to: user.email,
          locale: asLocale((user as { locale?: unknown }).locale),
          data: { url, name: user.name },
        })
      },
    },
    emailVerification: {
      sendOnSignUp: true,
      sendOnSignIn: true,
      autoSignInAfterVerification: true,
      expiresIn: 60 * 60 * 24,
      sendVerificationEmail: async ({ user, url }) => {
        await queues.enqueueEmail({
          template: 'verify-email',
          to: user.email,
          locale: asLocale((user as { locale?: unknown }).locale),
          data: { url, name: user.name },
        })
      },
    },
    plugins: [
      organization({
        // Only the deployment's first user creates an organization (server/services/organizations.ts).
        allowUserToCreateOrganization: async () => {
          const row = await db.selectFrom('organization').select('id').limit(1).executeTakeFirst()
          return !row
        },
        invitationExpiresIn: 48 * 60 * 60,
        sendInvitationEmail: async ({ email, organization: org, inviter, id }) => {
          await queues.enqueueEmail({
            template: 'org-invitation',
            to: email,
            locale: asLocale((inviter.user as { locale?: unknown }).locale),
            data: {
              url: `${options.baseURL}/invitations/${id}`,
              organizationName: org.name,
              inviterName: inviter.user.name,
            },
          })
        },
      }),
      magicLink({
        disableSignUp: true,
        expiresIn: 5 * 60,
        sendMagicLink: async ({ email, url }) => {
          await queues.enqueueEmail({
            template: 'magic-link',
            to: email,
            locale: await localeOfEmail(email),
            data: { url },
          })
        },
      }),
      anonymous({ emailDomainName: GUEST_EMAIL_DOMAIN, disableDeleteAnonymousUser: true }),
    ],
  })
}

export type Auth = ReturnType<typeof createAuth>

// Each process parses its environment once at boot (parseEnv) and fails fast with every problem
// listed. Defaults match the local instances scripts/up.sh starts, so nothing needs configuring.
import { z } from 'zod'

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((value) => value === 'true' || value === '1' || value === 'yes')

const BaseEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .default('postgres://vstrecha:vstrecha@127.0.0.1:54329/vstrecha'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .default('redis://127.0.0.1:63790'),
  /** Prefix of every Redis key, queue and channel: lets several deployments or test runs share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w:-]*$/)
    .default('vs:'),
})

const DEV_SECRET = 'dev-only-secret-change-me-0123456789abcdef'
const DEV_MEDIA_RPC_SECRET = 'dev-only-media-rpc-secret-change-me-0123'

/** Signs web → media-node RPC requests (docs/decisions/0006-media-rpc.md); same value on both sides. */
const MediaRpcSecretSchema = z
  .string()
  .min(32, 'must be at least 32 characters')
  .default(DEV_MEDIA_RPC_SECRET)

export const WebEnvSchema = BaseEnvSchema.extend({
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** The address users open; links in emails point here. */
  PUBLIC_URL: z.url().optional(),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_SECRET),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// URL')
    .default('smtp://127.0.0.1:2525'),
  MAIL_FROM: z.string().default('Vstrecha <no-reply@vstrecha.local>'),
  /** When set, this process runs the development SMTP catcher on this port and serves /dev/mail. */
  MAIL_CATCHER_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HTTPS: bool.default(false),
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  TLS_DIR: z.string().default('.data/tls'),
  TRUST_PROXY: bool.default(false),
  /** Multiplies every rate limit; tests that hammer one endpoint from one IP keep 1. */
  RATE_LIMIT_FACTOR: z.coerce.number().positive().default(1),
  MEDIA_RPC_SECRET: MediaRpcSecretSchema,
  /** Where attachment bytes go (server/storage/): the local disk, or an S3-compatible bucket. */
  ATTACHMENT_STORAGE: z.enum(['local', 's3']).default('local'),
  ATTACHMENT_DIR: z.string().default('.data/attachments'),
  /** Largest upload in bytes (25 MiB by default). */
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(25 * 1024 * 1024),
  /** For MinIO and other S3-compatible services; unset for AWS. */
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z.string().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: bool.default(true),
})
  .superRefine((env, ctx) => {
    if (env.ATTACHMENT_STORAGE === 's3' && !env.S3_BUCKET) {
      ctx.addIssue({
        code: 'custom',
        path: ['S3_BUCKET'],
        message: 'is required when ATTACHMENT_STORAGE=s3',
      })
    }
    if (env.NODE_ENV === 'production' && env.AUTH_SECRET === DEV_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_SECRET'],
        message: 'must be set to a random secret in production',
      })
    }
    if (Boolean(env.TLS_CERT_FILE) !== Boolean(env.TLS_KEY_FILE)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TLS_KEY_FILE'],
        message: 'TLS_CERT_FILE and TLS_KEY_FILE go together',
      })
    }
  })
  .transform((env) => ({
    ...env,
    PUBLIC_URL: env.PUBLIC_URL ?? `${env.HTTPS ? 'https' : 'http'}://localhost:${env.PORT}`,
  }))

export const WorkersEnvSchema = BaseEnvSchema.extend({
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// URL')
    .default('smtp://127.0.0.1:2525'),
  MAIL_FROM: z.string().default('Vstrecha <no-reply@vstrecha.local>'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
})

export const MediaNodeEnvSchema = BaseEnvSchema.extend({
  MEDIA_NODE_ID: z.string().min(1).optional(),
  MEDIA_REGION: z.string().min(1).default('local'),
  MEDIA_HTTP_HOST: z.string().default('127.0.0.1'),
  MEDIA_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(4443),
  MEDIA_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  MEDIA_LISTEN_IP: z.string().default('127.0.0.1'),
  MEDIA_ANNOUNCED_IP: z.string().optional(),
  MEDIA_RTC_MIN_PORT: z.coerce.number().int().min(1024).max(65535).default(47000),
  MEDIA_RTC_MAX_PORT: z.coerce.number().int().min(1024).max(65535).default(47999),
  MEDIA_GONE_PEER_GRACE_MS: z.coerce.number().int().min(100).max(600_000).optional(),
  MEDIASOUP_WORKER_BIN: z.string().min(1, 'build it with scripts/build-mediasoup-worker.sh'),
  MEDIA_RPC_SECRET: MediaRpcSecretSchema,
})
  .refine((env) => env.MEDIA_RTC_MIN_PORT < env.MEDIA_RTC_MAX_PORT, {
    path: ['MEDIA_RTC_MAX_PORT'],
    message: 'must be above MEDIA_RTC_MIN_PORT',
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.MEDIA_RPC_SECRET !== DEV_MEDIA_RPC_SECRET, {
    path: ['MEDIA_RPC_SECRET'],
    message: 'must be set to a random secret in production',
  })

export type WebEnv = z.infer<typeof WebEnvSchema>
export type WorkersEnv = z.infer<typeof WorkersEnvSchema>
export type MediaNodeEnv = z.infer<typeof MediaNodeEnvSchema>

export class EnvError extends Error {
  readonly problems: string[]
  constructor(processName: string, problems: string[]) {
    super(`Invalid environment for ${processName}:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.problems = problems
  }
}

/** Parses `source` with `schema`; throws EnvError listing every invalid variable. */
export function parseEnv<T extends z.ZodType>(
  schema: T,
  processName: string,
  source: Record<string, string | undefined> = process.env,
): z.infer<T> {
  // Empty strings mean "unset" so that `FOO= npm start` falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''))
  const result = schema.safeParse(cleaned)
  if (result.success) return result.data
  throw new EnvError(
    processName,
    result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
  )
}

/** parseEnv for a process entry point: prints the problems and exits instead of throwing. */
export function loadEnvOrExit<T extends z.ZodType>(schema: T, processName: string): z.infer<T> {
  try {
    return parseEnv(schema, processName)
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message)
      process.exit(1)
    }
    throw error
  }
}

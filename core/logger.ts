import { pino, type Logger } from 'pino'

export type { Logger }

/** The root logger of a process; children add context (`log.child({ meetingId })`). */
export function createLogger(options: { name: string; level?: string; pretty?: boolean }): Logger {
  const pretty = options.pretty ?? (process.stdout.isTTY && process.env.NODE_ENV !== 'production')
  return pino({
    name: options.name,
    level: options.level ?? 'info',
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.password',
        '*.token',
      ],
      censor: '[redacted]',
    },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } }
      : {}),
  })
}

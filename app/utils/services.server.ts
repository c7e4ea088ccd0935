// Route modules reach server-only domain code through this file: the Remix compiler guarantees a
// `.server.ts` module never ends up in the browser bundle.
export * from '#server/services/audit.ts'
export { getMeetingTranscript } from '#server/services/chat.ts'
export * from '#server/services/meetings.ts'
export * from '#server/services/organizations.ts'
export { listCaughtMail, type CaughtMail } from '#server/mail-catcher.ts'

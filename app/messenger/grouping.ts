// How a conversation's messages are laid out: by day, then runs of one author within a few minutes
// (one name and avatar per run).
import type { MessengerMessage } from '#core/protocol/messenger.ts'

/** A new run starts when the same author pauses this long. */
export const RUN_BREAK_MS = 5 * 60_000

export type MessageRun = { senderId: string; senderName: string; messages: MessengerMessage[] }
export type MessageDay = { dayKey: string; date: Date; runs: MessageRun[] }

/** "2026-01-31" in the given time zone. */
export function dayKeyOf(value: Date | string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(value))
}

/** `breakBeforeSeq`: a run starts at this message (the "new messages" line goes above it). */
export function groupMessages(
  messages: MessengerMessage[],
  timeZone: string,
  breakBeforeSeq?: number,
): MessageDay[] {
  const days: MessageDay[] = []
  for (const message of messages) {
    const dayKey = dayKeyOf(message.createdAt, timeZone)
    let day = days.at(-1)
    if (day?.dayKey !== dayKey) {
      day = { dayKey, date: new Date(message.createdAt), runs: [] }
      days.push(day)
    }
    const run = day.runs.at(-1)
    const previous = run?.messages.at(-1)
    const isSameRun =
      run &&
      previous &&
      run.senderId === message.sender.id &&
      !message.forwardedFrom &&
      message.seq !== breakBeforeSeq &&
      Date.parse(message.createdAt) - Date.parse(previous.createdAt) < RUN_BREAK_MS
    if (isSameRun) run.messages.push(message)
    else {
      day.runs.push({
        senderId: message.sender.id,
        senderName: message.sender.name,
        messages: [message],
      })
    }
  }
  return days
}

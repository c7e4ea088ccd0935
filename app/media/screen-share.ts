/** Whether this browser can share its screen (phones and some tablets cannot). */
export function canShareScreen(): boolean {
  return typeof navigator !== 'undefined' && Boolean(navigator.mediaDevices?.getDisplayMedia)
}

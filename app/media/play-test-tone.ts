/** A short two-note chime through the chosen speaker (setSinkId where the browser supports it). */
export async function playTestTone(speakerId?: string): Promise<void> {
  const context = new AudioContext()
  const destination = context.createMediaStreamDestination()
  const gain = context.createGain()
  gain.connect(destination)
  for (const [index, frequency] of [660, 880].entries()) {
    const oscillator = context.createOscillator()
    oscillator.frequency.value = frequency
    oscillator.connect(gain)
    const start = context.currentTime + index * 0.25
    gain.gain.setValueAtTime(0.2, start)
    oscillator.start(start)
    oscillator.stop(start + 0.22)
  }
  const audio = new Audio()
  audio.srcObject = destination.stream
  const sinkable = audio as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> }
  if (speakerId && sinkable.setSinkId) await sinkable.setSinkId(speakerId)
  await audio.play()
  setTimeout(() => {
    audio.pause()
    void context.close()
  }, 700)
}

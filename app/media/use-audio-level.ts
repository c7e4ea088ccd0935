import { useEffect, useState } from 'react'

// ~15 updates a second is smooth for a meter and cheap on phones.
const LEVEL_UPDATE_INTERVAL_MS = 66

/** 0..1 loudness of the stream's first audio track (RMS of the waveform, scaled for speech). */
export function useAudioLevel(stream: MediaStream | null): number {
  const [level, setLevel] = useState(0)
  useEffect(() => {
    const track = stream?.getAudioTracks()[0]
    if (!track) {
      setLevel(0)
      return
    }
    const context = new AudioContext()
    const source = context.createMediaStreamSource(new MediaStream([track]))
    const analyser = context.createAnalyser()
    analyser.fftSize = 512
    source.connect(analyser)
    const samples = new Float32Array(analyser.fftSize)
    const timer = setInterval(() => {
      if (context.state === 'suspended') void context.resume()
      analyser.getFloatTimeDomainData(samples)
      let sum = 0
      for (const sample of samples) sum += sample * sample
      const rms = Math.sqrt(sum / samples.length)
      setLevel(Math.min(1, rms * 4))
    }, LEVEL_UPDATE_INTERVAL_MS)
    return () => {
      clearInterval(timer)
      source.disconnect()
      void context.close()
    }
  }, [stream])
  return level
}

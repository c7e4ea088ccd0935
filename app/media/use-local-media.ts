import { useEffect, useState } from 'react'

export type MediaProblem = 'permission-denied' | 'no-devices' | 'insecure-context' | null

/**
 * The local camera/microphone stream for the chosen devices. Turning the camera off stops its track
 * (the light goes off), not just hides it.
 */
export function useLocalMedia(options: {
  cameraId?: string
  microphoneId?: string
  isCameraOn: boolean
  isMicrophoneOn: boolean
}) {
  const [stream, setStream] = useState<MediaStream | null>(null)
  const [problem, setProblem] = useState<MediaProblem>(null)
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([])
  const { cameraId, microphoneId, isCameraOn, isMicrophoneOn } = options

  useEffect(() => {
    if (!navigator.mediaDevices?.getUserMedia) {
      setProblem('insecure-context')
      return
    }
    let cancelled = false
    let acquired: MediaStream | null = null
    const wantsVideo = isCameraOn
    const wantsAudio = isMicrophoneOn
    if (!wantsVideo && !wantsAudio) {
      setStream(null)
      return
    }
    navigator.mediaDevices
      .getUserMedia({
        video: wantsVideo
          ? {
              deviceId: cameraId ? { exact: cameraId } : undefined,
              width: { ideal: 1280 },
              height: { ideal: 720 },
            }
          : false,
        audio: wantsAudio
          ? {
              deviceId: microphoneId ? { exact: microphoneId } : undefined,
              echoCancellation: true,
              noiseSuppression: true,
            }
          : false,
      })
      .then(async (media) => {
        acquired = media
        if (cancelled) {
          media.getTracks().forEach((track) => track.stop())
          return
        }
        setProblem(null)
        setStream(media)
        // Labels are only exposed after permission is granted.
        setDevices(await navigator.mediaDevices.enumerateDevices())
      })
      .catch((error: DOMException) => {
        if (cancelled) return
        setStream(null)
        setProblem(
          error.name === 'NotAllowedError' || error.name === 'SecurityError'
            ? 'permission-denied'
            : 'no-devices',
        )
      })
    return () => {
      cancelled = true
      acquired?.getTracks().forEach((track) => track.stop())
    }
  }, [cameraId, microphoneId, isCameraOn, isMicrophoneOn])

  useEffect(() => {
    if (!navigator.mediaDevices?.enumerateDevices) return
    const refresh = () => void navigator.mediaDevices.enumerateDevices().then(setDevices)
    refresh()
    navigator.mediaDevices.addEventListener('devicechange', refresh)
    return () => navigator.mediaDevices.removeEventListener('devicechange', refresh)
  }, [])

  return { stream, problem, devices }
}

import { useEffect, useState, type RefObject } from 'react'
import { PHONE_MAX_WIDTH, type Size } from '#app/media/grid-layout.ts'

// The server renders for a desktop; the first client effect corrects it.
const SSR_VIEWPORT: Size = { width: 1280, height: 800 }

/** The window's size, updated on resize and rotation. */
export function useViewport(): Size & { isPhone: boolean } {
  const [size, setSize] = useState<Size>(SSR_VIEWPORT)
  useEffect(() => {
    const update = () => setSize({ width: window.innerWidth, height: window.innerHeight })
    update()
    window.addEventListener('resize', update)
    return () => window.removeEventListener('resize', update)
  }, [])
  return { ...size, isPhone: size.width < PHONE_MAX_WIDTH }
}

/** An element's content size (0×0 until measured). */
export function useElementSize(ref: RefObject<HTMLElement | null>): Size {
  const [size, setSize] = useState<Size>({ width: 0, height: 0 })
  useEffect(() => {
    const element = ref.current
    if (!element) return
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return
      const { width, height } = entry.contentRect
      setSize((current) =>
        current.width === width && current.height === height ? current : { width, height },
      )
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [ref])
  return size
}

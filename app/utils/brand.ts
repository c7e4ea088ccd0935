import type { CSSProperties } from 'react'

/** An organization's brand color becomes the --brand token every themed component reads. */
export function brandStyle(brandColor: string | undefined): CSSProperties | undefined {
  return brandColor ? ({ '--brand': brandColor } as CSSProperties) : undefined
}

import type { ReactNode } from 'react'
import { cn } from '#app/utils/cn.ts'

export type RadioGroupProps = {
  legend: ReactNode
  name: string
  options: { value: string; label: ReactNode }[]
  defaultValue?: string
  /** Options side by side instead of stacked (for short labels). */
  isInline?: boolean
}

/** Native radio inputs in a fieldset: they submit with a plain form, before hydration too. */
export function RadioGroup({
  legend,
  name,
  options,
  defaultValue,
  isInline = false,
}: RadioGroupProps) {
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1 text-sm font-medium">{legend}</legend>
      <div className={cn(isInline ? 'flex flex-wrap gap-4' : 'grid gap-2')}>
        {options.map((option) => (
          <label key={option.value} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name={name}
              value={option.value}
              defaultChecked={defaultValue === option.value}
              className="mt-1 accent-primary"
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  )
}

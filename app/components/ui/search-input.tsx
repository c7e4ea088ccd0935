import { Search } from 'lucide-react'
import { Input } from '#app/components/ui/input.tsx'

/** A search box whose label is also its placeholder; `hasIcon` puts a magnifier at its start. */
export function SearchInput({
  label,
  value,
  onValueChange,
  hasIcon = false,
}: {
  label: string
  value: string
  onValueChange: (value: string) => void
  hasIcon?: boolean
}) {
  const input = (
    <Input
      type="search"
      className={hasIcon ? 'ps-9' : undefined}
      value={value}
      onChange={(event) => onValueChange(event.target.value)}
      placeholder={label}
      aria-label={label}
    />
  )
  if (!hasIcon) return input
  return (
    <div className="relative">
      <Search
        className="pointer-events-none absolute start-3 top-1/2 size-4 -translate-y-1/2 text-muted-foreground"
        aria-hidden
      />
      {input}
    </div>
  )
}

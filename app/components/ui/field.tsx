import {
  cloneElement,
  isValidElement,
  useId,
  type Key,
  type ReactElement,
  type ReactNode,
} from 'react'
import { Input, type InputProps } from '#app/components/ui/input.tsx'
import { Label } from '#app/components/ui/label.tsx'
import { cn } from '#app/utils/cn.ts'

type ControlAria = {
  id: string
  'aria-invalid'?: true
  'aria-describedby'?: string
}

export type FieldProps = {
  label: ReactNode
  errors?: string[]
  description?: ReactNode
  /** Props from conform's `getInputProps(field, { type })`; rendered as an `Input`. */
  inputProps?: InputProps & { key?: Key | null }
  /** A custom control (Textarea, NativeSelect, DateTimePicker…) used instead of `inputProps`. */
  children?: ReactElement<Partial<ControlAria>>
  className?: string
}

/** Label + control + description + inline errors, with ids wired for assistive technology. */
export function Field({ label, errors, description, inputProps, children, className }: FieldProps) {
  const fallbackId = useId()
  const childId = isValidElement(children) ? children.props.id : undefined
  const id = inputProps?.id ?? childId ?? fallbackId
  // Same ids conform derives from a field's id, so `getFormProps`/`getInputProps` agree with ours.
  const errorId = `${id}-error`
  const descriptionId = `${id}-description`
  const hasErrors = Boolean(errors?.length)
  const describedBy = [description ? descriptionId : null, hasErrors ? errorId : null]
    .filter(Boolean)
    .join(' ')
  const aria: ControlAria = {
    id,
    'aria-invalid': hasErrors || undefined,
    'aria-describedby': describedBy || undefined,
  }

  let control: ReactNode
  if (children) {
    control = cloneElement(children, aria)
  } else {
    const { key, ...rest } = inputProps ?? {}
    control = <Input key={key} {...rest} {...aria} />
  }

  return (
    <div className={cn('grid gap-2', className)}>
      <Label htmlFor={id}>{label}</Label>
      {control}
      {description ? (
        <p id={descriptionId} className="text-sm text-muted-foreground">
          {description}
        </p>
      ) : null}
      <ErrorList id={errorId} errors={errors} />
    </div>
  )
}

export type FormErrorsProps = {
  /** Pass conform's `form.errorId` so `getFormProps(form)` points `aria-describedby` here. */
  id?: string
  errors?: string[]
  className?: string
}

/** Errors that belong to the whole form (e.g. "wrong password"), not to one field. */
export function FormErrors({ id, errors, className }: FormErrorsProps) {
  return (
    <ErrorList
      id={id}
      errors={errors}
      className={cn(
        'rounded-md border border-destructive/40 bg-destructive/10 px-3 py-2',
        className,
      )}
    />
  )
}

function ErrorList({ id, errors, className }: FormErrorsProps) {
  if (!errors?.length) return null
  return (
    <ul id={id} className={cn('grid gap-1 text-sm text-destructive', className)}>
      {errors.map((error) => (
        <li key={error}>{error}</li>
      ))}
    </ul>
  )
}

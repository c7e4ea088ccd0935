import { useSearchParams } from '@remix-run/react'
import { Copy } from 'lucide-react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '#app/components/ui/button.tsx'
import { Input } from '#app/components/ui/input.tsx'
import { toast } from '#app/components/ui/toast.tsx'

export async function copyToClipboard(text: string, messages: { copied: string; failed: string }) {
  try {
    await navigator.clipboard.writeText(text)
    toast({ title: messages.copied, variant: 'success' })
  } catch {
    toast({ title: messages.failed, variant: 'destructive' })
  }
}

/** A read-only link with a copy button (the input stays selectable when the clipboard is blocked). */
export function CopyLink({ url, label }: { url: string; label: string }) {
  const { t } = useTranslation()
  return (
    <div className="flex gap-2">
      <Input
        readOnly
        value={url}
        aria-label={label}
        data-testid="invite-link"
        onFocus={(event) => event.currentTarget.select()}
        className="font-mono text-sm"
      />
      <Button
        type="button"
        variant="outline"
        size="icon"
        aria-label={t('copyLink')}
        title={t('copyLink')}
        onClick={() => void copyToClipboard(url, { copied: t('copied'), failed: t('copyFailed') })}
      >
        <Copy />
      </Button>
    </div>
  )
}

/**
 * Right after a one-click meeting is created (`?created=instant`), copies its link and drops the
 * marker from the URL so a reload does not copy again.
 */
export function useCopyLinkOnArrival(url: string) {
  const { t } = useTranslation()
  const [searchParams, setSearchParams] = useSearchParams()
  const isNew = searchParams.get('created') === 'instant'
  useEffect(() => {
    if (!isNew) return
    void copyToClipboard(url, { copied: t('copied'), failed: t('copyFailed') })
    setSearchParams(
      (params) => {
        params.delete('created')
        return params
      },
      { replace: true, preventScrollReset: true },
    )
  }, [isNew, url, t, setSearchParams])
}

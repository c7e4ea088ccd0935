// The organization's admin page (owners and admins only): members and their roles, invitations,
// branding. Membership changes go through better-auth's organization plugin, which enforces its own
// role rules too; every change is written to the audit log.
import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import {
  data,
  type ActionFunctionArgs,
  type AppLoadContext,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from '@remix-run/react'
import { MoreHorizontal, RotateCw, UserMinus, X } from 'lucide-react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { ConfirmDialog } from '#app/components/ui/alert-dialog.tsx'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { Badge } from '#app/components/ui/badge.tsx'
import { Button } from '#app/components/ui/button.tsx'
import {
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '#app/components/ui/card.tsx'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '#app/components/ui/dropdown-menu.tsx'
import { Field, FormErrors } from '#app/components/ui/field.tsx'
import { Input } from '#app/components/ui/input.tsx'
import { Label } from '#app/components/ui/label.tsx'
import { List, ListItem } from '#app/components/ui/list.tsx'
import { NativeSelect } from '#app/components/ui/select.tsx'
import { toast } from '#app/components/ui/toast.tsx'
import { requireMember, type MemberViewer } from '#app/utils/auth.server.ts'
import { useDateFormatter } from '#app/utils/format.ts'
import { EmailSchema, useErrorText } from '#app/utils/forms.ts'
import { listMembers, listPendingInvitations, writeAudit } from '#app/utils/services.server.ts'
import { BrandingSchema, parseBranding } from '#core/branding.ts'
import type { OrgRole } from '#core/db/types.ts'

/** Roles an admin may hand out here; "owner" is the organization's creator and stays put. */
const ASSIGNABLE_ROLES = ['member', 'admin'] as const
type AssignableRole = (typeof ASSIGNABLE_ROLES)[number]
// The hex of the default --brand token (app/tailwind.css), for the color picker and the preview.
const DEFAULT_BRAND_COLOR = '#1c65c8'

const RoleSchema = z.enum(ASSIGNABLE_ROLES, { error: 'validation.invalid' })
const IdSchema = z
  .string({ error: 'validation.required' })
  .min(1, { error: 'validation.required' })
  .max(100, { error: 'validation.invalid' })

const InviteSchema = z.object({
  intent: z.literal('invite'),
  email: EmailSchema,
  role: RoleSchema.default('member'),
})
const BrandingFormSchema = z.object({
  intent: z.literal('branding'),
  brandColor: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .refine(
      (value) => value === undefined || BrandingSchema.shape.brandColor.safeParse(value).success,
      { error: 'validation.color' },
    ),
  logoUrl: z
    .string()
    .trim()
    .optional()
    .refine(
      (value) => value === undefined || BrandingSchema.shape.logoUrl.safeParse(value).success,
      { error: 'validation.url' },
    ),
})
const OrganizationActionSchema = z.discriminatedUnion('intent', [
  InviteSchema,
  BrandingFormSchema,
  z.object({ intent: z.literal('role'), memberId: IdSchema, role: RoleSchema }),
  z.object({ intent: z.literal('remove'), memberId: IdSchema }),
  z.object({ intent: z.literal('resend-invitation'), invitationId: IdSchema }),
  z.object({ intent: z.literal('cancel-invitation'), invitationId: IdSchema }),
])
type Intent = z.infer<typeof OrganizationActionSchema>['intent']

type ToastKey =
  'invited' | 'resent' | 'roleChanged' | 'removed' | 'invitationCancelled' | 'brandingSaved'
type ActionData = {
  /** Unique per response, so the page reacts to each answer once. */
  id: string
  intent: Intent | null
  result: SubmissionResult<string[]>
  toast?: { key: ToastKey; values?: Record<string, string> }
  /** Why an action without its own form (menu, list buttons) failed; an i18n key. */
  error?: string
}

export const meta: MetaFunction = () => [{ title: 'Vstrecha' }]

async function requireOrgAdmin(request: Request, context: AppLoadContext): Promise<MemberViewer> {
  const viewer = await requireMember(request, context)
  // Same answer as a page that does not exist: members need not learn that it does.
  if (!viewer.isOrgAdmin) throw new Response('Not found', { status: 404 })
  return viewer
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireOrgAdmin(request, context)
  const organizationId = viewer.membership.organization.id
  const [members, invitations] = await Promise.all([
    listMembers({ db: context.app.db, organizationId }),
    listPendingInvitations({ db: context.app.db, organizationId }),
  ])
  return {
    organization: { name: viewer.membership.organization.name },
    viewerMemberId: viewer.membership.memberId,
    members: members.map((member) => ({
      id: member.id,
      userId: member.userId,
      name: member.name,
      email: member.email,
      role: member.role,
    })),
    invitations: invitations.map((invitation) => ({
      id: invitation.id,
      email: invitation.email,
      role: invitation.role ?? 'member',
      expiresAt: invitation.expiresAt,
    })),
    branding: parseBranding(viewer.membership.organization.metadata),
  }
}

/** better-auth's endpoints throw `APIError { statusCode, body: { code } }`; anything else is a bug and propagates. */
function authErrorCode(error: unknown): string | null {
  if (!(error instanceof Error) || error.name !== 'APIError') return null
  const body = (error as Error & { body?: { code?: unknown } }).body
  return typeof body?.code === 'string' ? body.code : 'UNKNOWN'
}

const authErrorMessages: Record<string, string> = {
  USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION: 'settings:organization.errors.alreadyMember',
  USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION: 'settings:organization.errors.alreadyInvited',
  INVALID_EMAIL: 'validation.email',
  INVITATION_LIMIT_REACHED: 'settings:organization.errors.invitationLimit',
  MEMBER_NOT_FOUND: 'settings:organization.errors.memberNotFound',
  INVITATION_NOT_FOUND: 'settings:organization.errors.invitationNotFound',
  YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER: 'settings:organization.errors.ownerLocked',
  YOU_CANNOT_LEAVE_THE_ORGANIZATION_WITHOUT_AN_OWNER: 'settings:organization.errors.ownerLocked',
}
const emailFieldCodes = new Set([
  'USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION',
  'USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION',
  'INVALID_EMAIL',
])

function messageForAuthCode(code: string): string {
  return (
    authErrorMessages[code] ??
    (code.startsWith('YOU_ARE_NOT_ALLOWED')
      ? 'settings:organization.errors.notAllowed'
      : 'settings:organization.errors.failed')
  )
}

/** The organization's metadata as an object; better-auth stringifies it again when saving. */
function metadataObject(metadata: string | null): Record<string, unknown> {
  if (!metadata) return {}
  try {
    const parsed: unknown = JSON.parse(metadata)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {}
  } catch {
    return {}
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireOrgAdmin(request, context)
  const { db, auth } = context.app
  const organizationId = viewer.membership.organization.id
  const headers = request.headers
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: OrganizationActionSchema })
  const reply = (body: Omit<ActionData, 'id'>, status = 200) =>
    data<ActionData>({ id: crypto.randomUUID(), ...body }, { status })
  if (submission.status !== 'success') {
    const intent = OrganizationActionSchema.options
      .map((option) => option.shape.intent.value)
      .find((value) => value === formData.get('intent'))
    return reply(
      { intent: intent ?? null, result: submission.reply(), error: 'validation.invalid' },
      400,
    )
  }
  const input = submission.value
  const audit = (
    action: string,
    targetType: string,
    targetId: string,
    metadata?: Record<string, unknown>,
  ) =>
    writeAudit({
      db,
      actorId: viewer.user.id,
      organizationId,
      action,
      targetType,
      targetId,
      ip: context.clientIp,
      metadata,
    })
  const fail = (error: unknown) => {
    const code = authErrorCode(error)
    if (code === null) throw error
    const message = messageForAuthCode(code)
    const isEmailError = input.intent === 'invite' && emailFieldCodes.has(code)
    return reply(
      {
        intent: input.intent,
        result: submission.reply(
          isEmailError ? { fieldErrors: { email: [message] } } : { formErrors: [message] },
        ),
        error: message,
      },
      400,
    )
  }
  const refuse = (message: string, status = 400) =>
    reply(
      { intent: input.intent, result: submission.reply({ formErrors: [message] }), error: message },
      status,
    )

  switch (input.intent) {
    case 'invite': {
      try {
        const invitation = await auth.api.createInvitation({
          body: { email: input.email, role: input.role, organizationId },
          headers,
        })
        await audit('member.invite', 'invitation', invitation.id, {
          email: input.email,
          role: input.role,
        })
      } catch (error) {
        return fail(error)
      }
      return reply({
        intent: 'invite',
        result: submission.reply({ resetForm: true }),
        toast: { key: 'invited', values: { email: input.email } },
      })
    }

    case 'role':
    case 'remove': {
      const member = await db
        .selectFrom('member')
        .innerJoin('user', 'user.id', 'member.userId')
        .select(['member.id', 'member.role', 'member.userId', 'user.name', 'user.email'])
        .where('member.id', '=', input.memberId)
        .where('member.organizationId', '=', organizationId)
        .executeTakeFirst()
      if (!member) return refuse('settings:organization.errors.memberNotFound', 404)
      if (member.role === 'owner') return refuse('settings:organization.errors.ownerLocked', 403)
      // Demoting or removing yourself would lock you out of this page mid-click.
      if (member.id === viewer.membership.memberId)
        return refuse('settings:organization.errors.self', 403)
      try {
        if (input.intent === 'role') {
          await auth.api.updateMemberRole({
            body: { memberId: member.id, role: input.role, organizationId },
            headers,
          })
          await audit('member.role', 'member', member.id, {
            userId: member.userId,
            from: member.role,
            to: input.role,
          })
        } else {
          await auth.api.removeMember({
            body: { memberIdOrEmail: member.id, organizationId },
            headers,
          })
          await audit('member.remove', 'member', member.id, {
            userId: member.userId,
            email: member.email,
            role: member.role,
          })
        }
      } catch (error) {
        return fail(error)
      }
      return reply(
        input.intent === 'role'
          ? {
              intent: 'role',
              result: submission.reply(),
              toast: { key: 'roleChanged', values: { name: member.name, role: input.role } },
            }
          : {
              intent: 'remove',
              result: submission.reply(),
              toast: { key: 'removed', values: { name: member.name } },
            },
      )
    }

    case 'resend-invitation':
    case 'cancel-invitation': {
      // better-auth would cancel any invitation of an organization we belong to, even an accepted
      // one: only this organization's pending invitations qualify.
      const invitation = await db
        .selectFrom('invitation')
        .select(['id', 'email', 'role'])
        .where('id', '=', input.invitationId)
        .where('organizationId', '=', organizationId)
        .where('status', '=', 'pending')
        .executeTakeFirst()
      if (!invitation) return refuse('settings:organization.errors.invitationNotFound', 404)
      try {
        if (input.intent === 'resend-invitation') {
          await auth.api.createInvitation({
            body: {
              email: invitation.email,
              role: invitation.role ?? 'member',
              organizationId,
              resend: true,
            },
            headers,
          })
          await audit('invitation.resend', 'invitation', invitation.id, { email: invitation.email })
        } else {
          await auth.api.cancelInvitation({ body: { invitationId: invitation.id }, headers })
          await audit('invitation.cancel', 'invitation', invitation.id, { email: invitation.email })
        }
      } catch (error) {
        return fail(error)
      }
      return reply({
        intent: input.intent,
        result: submission.reply(),
        toast: {
          key: input.intent === 'resend-invitation' ? 'resent' : 'invitationCancelled',
          values: { email: invitation.email },
        },
      })
    }

    case 'branding': {
      const branding = BrandingSchema.parse({
        brandColor: input.brandColor,
        logoUrl: input.logoUrl,
      })
      // Other keys in metadata are not ours to drop; empty fields remove ours (back to the defaults).
      const {
        brandColor: _color,
        logoUrl: _logo,
        ...rest
      } = metadataObject(viewer.membership.organization.metadata)
      const metadata: Record<string, unknown> = { ...rest }
      if (branding.brandColor) metadata.brandColor = branding.brandColor
      if (branding.logoUrl) metadata.logoUrl = branding.logoUrl
      try {
        await auth.api.updateOrganization({ body: { data: { metadata }, organizationId }, headers })
        await audit('organization.branding', 'organization', organizationId, {
          brandColor: branding.brandColor ?? null,
          logoUrl: branding.logoUrl ?? null,
        })
      } catch (error) {
        return fail(error)
      }
      return reply({
        intent: 'branding',
        result: submission.reply(),
        toast: { key: 'brandingSaved' },
      })
    }
  }
}

export default function OrganizationPage() {
  const { t } = useTranslation('settings')
  const errorText = useErrorText()
  const { organization } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()

  useEffect(() => {
    if (!actionData) return
    if (actionData.toast) {
      const { key, values } = actionData.toast
      const role = values?.role as AssignableRole | undefined
      toast({
        id: `organization-${actionData.id}`,
        title: t(`organization.toasts.${key}`, {
          ...values,
          role: role ? t(`organization.roles.${role}`) : undefined,
        }),
        variant: 'success',
      })
    } else if (
      actionData.error &&
      (actionData.intent === null || !['invite', 'branding'].includes(actionData.intent))
    ) {
      // Menus and list buttons have no form to show the error in.
      toast({
        id: `organization-${actionData.id}`,
        title: t('organization.toasts.failed'),
        description: errorText([actionData.error])?.[0],
        variant: 'destructive',
      })
    }
  }, [actionData, t, errorText])

  return (
    <div className="grid gap-6">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold">{t('organization.title')}</h1>
        <p className="text-muted-foreground">
          {t('organization.description', { name: organization.name })}
        </p>
      </div>
      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="grid gap-6">
          <MembersCard />
          <InvitationsCard />
        </div>
        <div className="grid gap-6">
          <InviteCard />
          <BrandingCard />
        </div>
      </div>
    </div>
  )
}

function MembersCard() {
  const { t } = useTranslation('settings')
  const submit = useSubmit()
  const { members, viewerMemberId } = useLoaderData<typeof loader>()
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null)
  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2 className="flex items-center gap-2">
            {t('organization.members.title')}
            <Badge variant="secondary">{members.length}</Badge>
          </h2>
        </CardTitle>
      </CardHeader>
      <CardContent>
        <List data-testid="members">
          {members.map((member) => {
            const isSelf = member.id === viewerMemberId
            const canManage = member.role !== 'owner' && !isSelf
            return (
              <ListItem
                key={member.id}
                data-testid="member"
                avatar={<Avatar name={member.name} colorKey={member.userId} isDecorative />}
                title={
                  <span className="flex min-w-0 items-center gap-2">
                    <span className="truncate">{member.name}</span>
                    {isSelf ? (
                      <span className="shrink-0 text-sm font-normal text-muted-foreground">
                        ({t('organization.members.you')})
                      </span>
                    ) : null}
                  </span>
                }
                subtitle={
                  <>
                    {/* Phones have no room for the badge next to the name: the role goes here. */}
                    <span className="sm:hidden">{t(`organization.roles.${member.role}`)} · </span>
                    {member.email}
                  </>
                }
                actions={
                  <>
                    <RoleBadge role={member.role} className="hidden sm:inline-flex" />
                    {canManage ? (
                      <DropdownMenu>
                        <DropdownMenuTrigger asChild>
                          <Button
                            variant="ghost"
                            size="icon"
                            aria-label={t('organization.members.actions', { name: member.name })}
                          >
                            <MoreHorizontal aria-hidden />
                          </Button>
                        </DropdownMenuTrigger>
                        <DropdownMenuContent>
                          <DropdownMenuLabel>{t('organization.members.role')}</DropdownMenuLabel>
                          <DropdownMenuRadioGroup
                            value={member.role}
                            onValueChange={(role) => {
                              if (role !== member.role)
                                submit(
                                  { intent: 'role', memberId: member.id, role },
                                  { method: 'post' },
                                )
                            }}
                          >
                            {ASSIGNABLE_ROLES.map((role) => (
                              <DropdownMenuRadioItem key={role} value={role}>
                                {t(`organization.roles.${role}`)}
                              </DropdownMenuRadioItem>
                            ))}
                          </DropdownMenuRadioGroup>
                          <DropdownMenuSeparator />
                          <DropdownMenuItem
                            isDestructive
                            onSelect={() => setRemoving({ id: member.id, name: member.name })}
                          >
                            <UserMinus aria-hidden />
                            {t('organization.members.remove')}
                          </DropdownMenuItem>
                        </DropdownMenuContent>
                      </DropdownMenu>
                    ) : (
                      // Keeps the badges of all rows lined up.
                      <span className="size-10" aria-hidden />
                    )}
                  </>
                }
              />
            )
          })}
        </List>
        <ConfirmDialog
          open={removing !== null}
          onOpenChange={(open) => {
            if (!open) setRemoving(null)
          }}
          title={t('organization.members.removeTitle', { name: removing?.name ?? '' })}
          description={t('organization.members.removeDescription', { name: removing?.name ?? '' })}
          confirmLabel={t('organization.members.remove')}
          isDestructive
          onConfirm={() => {
            if (removing) submit({ intent: 'remove', memberId: removing.id }, { method: 'post' })
          }}
        />
      </CardContent>
    </Card>
  )
}

function RoleBadge({ role, className }: { role: OrgRole; className?: string }) {
  const { t } = useTranslation('settings')
  return (
    <Badge variant={role === 'member' ? 'outline' : 'secondary'} className={className}>
      {t(`organization.roles.${role}`)}
    </Badge>
  )
}

function InvitationsCard() {
  const { t } = useTranslation('settings')
  const format = useDateFormatter()
  const { invitations } = useLoaderData<typeof loader>()
  const navigation = useNavigation()
  const isBusy = navigation.state === 'submitting'
  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>{t('organization.invitations.title')}</h2>
        </CardTitle>
      </CardHeader>
      <CardContent>
        {invitations.length === 0 ? (
          <p className="text-muted-foreground">{t('organization.invitations.empty')}</p>
        ) : (
          <List data-testid="invitations">
            {invitations.map((invitation) => (
              <ListItem
                key={invitation.id}
                data-testid="invitation"
                title={invitation.email}
                subtitle={
                  // May wrap: the expiry date is the point of this line.
                  <span className="whitespace-normal">
                    {t('organization.invitations.expires', {
                      role: t(`organization.roles.${invitation.role}`),
                      date: format.dateTime(invitation.expiresAt),
                    })}
                  </span>
                }
                actions={
                  <Form method="post" className="flex gap-1">
                    <input type="hidden" name="invitationId" value={invitation.id} />
                    <Button
                      type="submit"
                      name="intent"
                      value="resend-invitation"
                      variant="ghost"
                      size="icon"
                      disabled={isBusy}
                      aria-label={t('organization.invitations.resendLabel', {
                        email: invitation.email,
                      })}
                      title={t('organization.invitations.resendLabel', { email: invitation.email })}
                    >
                      <RotateCw aria-hidden />
                    </Button>
                    <Button
                      type="submit"
                      name="intent"
                      value="cancel-invitation"
                      variant="ghost"
                      size="icon"
                      className="text-destructive"
                      disabled={isBusy}
                      aria-label={t('organization.invitations.cancelLabel', {
                        email: invitation.email,
                      })}
                      title={t('organization.invitations.cancelLabel', { email: invitation.email })}
                    >
                      <X aria-hidden />
                    </Button>
                  </Form>
                }
              />
            ))}
          </List>
        )}
      </CardContent>
    </Card>
  )
}

function InviteCard() {
  const { t } = useTranslation('settings')
  const errorText = useErrorText()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'invite',
    lastResult: actionData?.intent === 'invite' ? actionData.result : undefined,
    defaultValue: { role: 'member' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const isSubmitting =
    navigation.state === 'submitting' && navigation.formData?.get('intent') === 'invite'
  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>{t('organization.invite.title')}</h2>
        </CardTitle>
        <CardDescription>{t('organization.invite.description')}</CardDescription>
      </CardHeader>
      <CardContent>
        <Form method="post" className="grid gap-4" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="invite" />
          <FormErrors id={form.errorId} errors={errorText(form.errors)} />
          <Field
            label={t('organization.invite.email')}
            inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'off' }}
            errors={errorText(fields.email.errors)}
          />
          <Field label={t('organization.invite.role')} errors={errorText(fields.role.errors)}>
            <NativeSelect
              key={fields.role.key}
              name={fields.role.name}
              defaultValue={fields.role.initialValue}
            >
              {ASSIGNABLE_ROLES.map((role) => (
                <option key={role} value={role}>
                  {t(`organization.roles.${role}`)}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Button type="submit" className="justify-self-start" disabled={isSubmitting}>
            {t('organization.invite.submit')}
          </Button>
        </Form>
      </CardContent>
    </Card>
  )
}

function BrandingCard() {
  const { t } = useTranslation('settings')
  const errorText = useErrorText()
  const { branding, organization } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'branding',
    lastResult: actionData?.intent === 'branding' ? actionData.result : undefined,
    defaultValue: { brandColor: branding.brandColor ?? '', logoUrl: branding.logoUrl ?? '' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: BrandingFormSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  // The color picker and the text field edit one value; only the text field is submitted.
  const [color, setColor] = useState(branding.brandColor ?? '')
  const [logoUrl, setLogoUrl] = useState(branding.logoUrl ?? '')
  const isValidColor = /^#[0-9a-fA-F]{6}$/.test(color)
  const previewColor = isValidColor ? color : DEFAULT_BRAND_COLOR
  // Same rule as the --brand-foreground token: black or white text by the color's lightness.
  const previewText = `oklch(from ${previewColor} clamp(0, (0.66 - l) * 1000, 1) 0 0)`
  const isSubmitting =
    navigation.state === 'submitting' && navigation.formData?.get('intent') === 'branding'
  const colorErrors = errorText(fields.brandColor.errors)
  const colorDescriptionId = `${fields.brandColor.id}-description`
  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>{t('organization.branding.title')}</h2>
        </CardTitle>
        <CardDescription>{t('organization.branding.description')}</CardDescription>
      </CardHeader>
      <CardContent>
        <Form method="post" className="grid gap-4" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="branding" />
          <FormErrors id={form.errorId} errors={errorText(form.errors)} />
          <div className="grid gap-2">
            <Label htmlFor={fields.brandColor.id}>{t('organization.branding.brandColor')}</Label>
            <div className="flex gap-2">
              <input
                type="color"
                value={previewColor.toLowerCase()}
                onChange={(event) => setColor(event.target.value)}
                aria-label={t('organization.branding.pickColor')}
                className="h-10 w-12 shrink-0 cursor-pointer rounded-md border border-input bg-background p-1"
              />
              <Input
                id={fields.brandColor.id}
                name={fields.brandColor.name}
                value={color}
                onChange={(event) => setColor(event.target.value)}
                placeholder={DEFAULT_BRAND_COLOR}
                spellCheck={false}
                autoComplete="off"
                aria-invalid={colorErrors?.length ? true : undefined}
                aria-describedby={
                  colorErrors?.length
                    ? `${colorDescriptionId} ${fields.brandColor.errorId}`
                    : colorDescriptionId
                }
              />
            </div>
            <p id={colorDescriptionId} className="text-sm text-muted-foreground">
              {t('organization.branding.brandColorHint')}
            </p>
            {colorErrors?.length ? (
              <ul id={fields.brandColor.errorId} className="grid gap-1 text-sm text-destructive">
                {colorErrors.map((error) => (
                  <li key={error}>{error}</li>
                ))}
              </ul>
            ) : null}
          </div>
          <Field
            label={t('organization.branding.logoUrl')}
            description={t('organization.branding.logoUrlHint')}
            inputProps={{
              ...getInputProps(fields.logoUrl, { type: 'text' }),
              inputMode: 'url',
              spellCheck: false,
              autoComplete: 'off',
              placeholder: 'https://',
              onChange: (event) => setLogoUrl(event.target.value),
            }}
            errors={errorText(fields.logoUrl.errors)}
          />
          <div className="grid gap-2">
            <p className="text-sm font-medium">{t('organization.branding.preview')}</p>
            <div className="flex items-center gap-3 rounded-md border p-3" aria-hidden>
              {/^(https:\/\/|\/)./.test(logoUrl) ? (
                <img src={logoUrl} alt="" className="size-8 rounded-md object-contain" />
              ) : (
                <span className="size-8 rounded-md" style={{ backgroundColor: previewColor }} />
              )}
              <span className="min-w-0 flex-1 truncate font-semibold">{organization.name}</span>
              <span
                className="rounded-md px-3 py-1.5 text-sm font-medium"
                style={{ backgroundColor: previewColor, color: previewText }}
              >
                {t('organization.branding.previewButton')}
              </span>
            </div>
          </div>
          <Button type="submit" className="justify-self-start" disabled={isSubmitting}>
            {t('organization.branding.save')}
          </Button>
        </Form>
      </CardContent>
    </Card>
  )
}

// The messenger's dialogs: new direct chat / group / channel, the directory of public channels,
// forward a message, members of a group or channel, and the in-chat image preview.
import { useNavigate } from '@remix-run/react'
import {
  Download,
  Hash,
  LogOut,
  Megaphone,
  Pencil,
  ShieldCheck,
  ShieldOff,
  UserMinus,
  UserPlus,
  Users,
} from 'lucide-react'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ConversationAvatar, PresenceDot } from '#app/components/messenger/conversation-avatar.tsx'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { Button } from '#app/components/ui/button.tsx'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '#app/components/ui/dialog.tsx'
import { Field } from '#app/components/ui/field.tsx'
import { Label } from '#app/components/ui/label.tsx'
import { SearchInput } from '#app/components/ui/search-input.tsx'
import { Switch } from '#app/components/ui/switch.tsx'
import { Tabs, TabsContent, TabsList, TabsTrigger } from '#app/components/ui/tabs.tsx'
import { Textarea } from '#app/components/ui/textarea.tsx'
import { toast } from '#app/components/ui/toast.tsx'
import { useMessengerClient, useMessengerState } from '#app/messenger/messenger-context.tsx'
import { sortedConversations } from '#app/messenger/state.ts'
import { cn } from '#app/utils/cn.ts'
import type {
  AttachmentInfo,
  ConversationMemberInfo,
  ConversationSummary,
  DirectoryChannel,
  DirectoryPerson,
  MessengerMessage,
} from '#core/protocol/messenger.ts'

function useDirectory(isOpen: boolean) {
  const client = useMessengerClient()
  const [directory, setDirectory] = useState<{
    channels: DirectoryChannel[]
    people: DirectoryPerson[]
  } | null>(null)
  useEffect(() => {
    if (!isOpen || !client) return
    let isCurrent = true
    client.request('messenger:directory', {}).then(
      (result) => {
        if (isCurrent) setDirectory(result)
      },
      () => {},
    )
    return () => {
      isCurrent = false
    }
  }, [client, isOpen])
  return directory
}

const matches = (query: string, ...values: string[]) => {
  const needle = query.trim().toLocaleLowerCase()
  return !needle || values.some((value) => value.toLocaleLowerCase().includes(needle))
}

function errorToast(title: string, error: unknown) {
  toast({ title, description: (error as Error).message, variant: 'destructive' })
}

const findPeople = (people: DirectoryPerson[], myUserId: string, query: string) =>
  people.filter((person) => person.userId !== myUserId && matches(query, person.name, person.email))

function toggled(selected: Set<string>, userId: string) {
  const next = new Set(selected)
  if (next.has(userId)) next.delete(userId)
  else next.add(userId)
  return next
}

function PersonLabel({ person }: { person: DirectoryPerson }) {
  return (
    <>
      <Avatar name={person.name} colorKey={person.userId} size="sm" isDecorative />
      <span className="min-w-0">
        <span className="block truncate text-sm font-medium">{person.name}</span>
        <span className="block truncate text-xs text-muted-foreground">{person.email}</span>
      </span>
    </>
  )
}

function PeoplePicker({
  people,
  myUserId,
  selected,
  onToggle,
}: {
  people: DirectoryPerson[]
  myUserId: string
  selected: Set<string>
  onToggle: (userId: string) => void
}) {
  const { t } = useTranslation('messenger')
  const [query, setQuery] = useState('')
  return (
    <div className="grid gap-2">
      <SearchInput label={t('people.search')} value={query} onValueChange={setQuery} />
      <ul className="grid max-h-60 gap-0.5 overflow-y-auto" aria-label={t('people.label')}>
        {findPeople(people, myUserId, query).map((person) => (
          <li key={person.userId}>
            <label className="flex cursor-pointer items-center gap-3 rounded-md px-2 py-1.5 hover:bg-accent">
              <input
                type="checkbox"
                className="size-4 accent-primary"
                checked={selected.has(person.userId)}
                onChange={() => onToggle(person.userId)}
              />
              <PersonLabel person={person} />
            </label>
          </li>
        ))}
      </ul>
    </div>
  )
}

export function NewConversationDialog({
  open,
  onOpenChange,
  myUserId,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  myUserId: string
}) {
  const { t } = useTranslation('messenger')
  const client = useMessengerClient()
  const navigate = useNavigate()
  const directory = useDirectory(open)
  const [tab, setTab] = useState('direct')
  const [query, setQuery] = useState('')
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const [isPublic, setIsPublic] = useState(true)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [isBusy, setIsBusy] = useState(false)

  useEffect(() => {
    if (open) {
      setQuery('')
      setTitle('')
      setDescription('')
      setSelected(new Set())
    }
  }, [open])

  const done = (conversation: ConversationSummary) => {
    client?.applyConversation(conversation)
    onOpenChange(false)
    navigate(`/chats/${conversation.id}`)
  }
  const create = async (action: () => Promise<{ conversation: ConversationSummary }>) => {
    if (!client || isBusy) return
    setIsBusy(true)
    try {
      done((await action()).conversation)
    } catch (error) {
      errorToast(t('errors.createFailed'), error)
    } finally {
      setIsBusy(false)
    }
  }
  const toggle = (userId: string) => setSelected((current) => toggled(current, userId))

  const people = directory?.people ?? []
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t('new.title')}</DialogTitle>
          <DialogDescription>{t('new.description')}</DialogDescription>
        </DialogHeader>
        <Tabs value={tab} onValueChange={setTab}>
          <TabsList>
            <TabsTrigger value="direct">{t('new.direct')}</TabsTrigger>
            <TabsTrigger value="group">{t('new.group')}</TabsTrigger>
            <TabsTrigger value="channel">{t('new.channel')}</TabsTrigger>
          </TabsList>
          <TabsContent value="direct" className="mt-3 grid gap-2">
            <SearchInput label={t('people.search')} value={query} onValueChange={setQuery} />
            <ul className="grid max-h-72 gap-0.5 overflow-y-auto" aria-label={t('people.label')}>
              {findPeople(people, myUserId, query).map((person) => (
                <li key={person.userId}>
                  <button
                    type="button"
                    disabled={isBusy}
                    className="flex w-full items-center gap-3 rounded-md px-2 py-1.5 text-start hover:bg-accent"
                    onClick={() =>
                      void create(() =>
                        client!.request('messenger:createDirect', { userId: person.userId }),
                      )
                    }
                  >
                    <PersonLabel person={person} />
                  </button>
                </li>
              ))}
              {directory && people.length <= 1 ? (
                <li className="px-2 py-3 text-sm text-muted-foreground">{t('people.none')}</li>
              ) : null}
            </ul>
          </TabsContent>
          {(['group', 'channel'] as const).map((kind) => (
            <TabsContent key={kind} value={kind} className="mt-3 grid gap-3">
              <Field
                label={t(kind === 'group' ? 'new.groupName' : 'new.channelName')}
                inputProps={{
                  value: title,
                  onChange: (event) => setTitle(event.target.value),
                  maxLength: 200,
                }}
              />
              {kind === 'channel' ? (
                <>
                  <Field
                    label={t('new.channelDescription')}
                    inputProps={{
                      value: description,
                      onChange: (event) => setDescription(event.target.value),
                      maxLength: 1000,
                    }}
                  />
                  <div className="flex items-center gap-3">
                    <Switch id="channel-public" checked={isPublic} onCheckedChange={setIsPublic} />
                    <Label htmlFor="channel-public">{t('new.isPublic')}</Label>
                  </div>
                  <p className="text-xs text-muted-foreground">{t('new.channelHint')}</p>
                </>
              ) : null}
              <PeoplePicker
                people={people}
                myUserId={myUserId}
                selected={selected}
                onToggle={toggle}
              />
              <DialogFooter>
                <Button
                  disabled={!title.trim() || isBusy}
                  onClick={() =>
                    void create(() =>
                      kind === 'group'
                        ? client!.request('messenger:createGroup', {
                            title: title.trim(),
                            memberIds: [...selected],
                          })
                        : client!.request('messenger:createChannel', {
                            title: title.trim(),
                            description: description.trim() || undefined,
                            isPublic,
                            memberIds: [...selected],
                          }),
                    )
                  }
                >
                  {t(kind === 'group' ? 'new.createGroup' : 'new.createChannel')}
                </Button>
              </DialogFooter>
            </TabsContent>
          ))}
        </Tabs>
      </DialogContent>
    </Dialog>
  )
}

export function DirectoryDialog({
  open,
  onOpenChange,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
  const { t } = useTranslation('messenger')
  const client = useMessengerClient()
  const navigate = useNavigate()
  const directory = useDirectory(open)
  const [query, setQuery] = useState('')
  const channels = (directory?.channels ?? []).filter((channel) =>
    matches(query, channel.title, channel.description),
  )
  const join = async (channel: DirectoryChannel) => {
    if (!client) return
    try {
      if (!channel.isMember) {
        const { conversation } = await client.request('messenger:join', {
          conversationId: channel.id,
        })
        client.applyConversation(conversation)
      }
      onOpenChange(false)
      navigate(`/chats/${channel.id}`)
    } catch (error) {
      errorToast(t('errors.joinFailed'), error)
    }
  }
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t('directory.title')}</DialogTitle>
          <DialogDescription>{t('directory.description')}</DialogDescription>
        </DialogHeader>
        <SearchInput label={t('directory.search')} value={query} onValueChange={setQuery} />
        <ul className="grid max-h-80 gap-1 overflow-y-auto" aria-label={t('directory.title')}>
          {channels.map((channel) => (
            <li key={channel.id} className="flex items-center gap-3 rounded-md border px-3 py-2">
              <Hash className="size-4 shrink-0 text-muted-foreground" aria-hidden />
              <div className="min-w-0 flex-1">
                <p className="truncate text-sm font-medium">{channel.title}</p>
                <p className="truncate text-xs text-muted-foreground">
                  {channel.description || t('view.members', { count: channel.memberCount })}
                </p>
              </div>
              <Button
                size="sm"
                variant={channel.isMember ? 'outline' : 'default'}
                onClick={() => void join(channel)}
              >
                {channel.isMember ? t('directory.open') : t('directory.join')}
              </Button>
            </li>
          ))}
          {directory && !channels.length ? (
            <li className="py-4 text-center text-sm text-muted-foreground">
              {t('directory.empty')}
            </li>
          ) : null}
        </ul>
      </DialogContent>
    </Dialog>
  )
}

export function ForwardDialog({
  message,
  onClose,
}: {
  message: MessengerMessage | null
  onClose: () => void
}) {
  const { t } = useTranslation('messenger')
  const client = useMessengerClient()
  const conversations = useMessengerState(sortedConversations)
  const [query, setQuery] = useState('')
  const targets = useMemo(
    () =>
      conversations.filter(
        (conversation) => conversation.canPost && matches(query, conversation.title),
      ),
    [conversations, query],
  )
  return (
    <Dialog open={Boolean(message)} onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t('forward.title')}</DialogTitle>
          <DialogDescription>{t('forward.description')}</DialogDescription>
        </DialogHeader>
        <SearchInput label={t('forward.search')} value={query} onValueChange={setQuery} hasIcon />
        <ul className="grid max-h-80 gap-0.5 overflow-y-auto" aria-label={t('forward.targets')}>
          {targets.map((conversation) => (
            <li key={conversation.id}>
              <button
                type="button"
                className="flex w-full items-center gap-3 rounded-md px-2 py-1.5 text-start hover:bg-accent"
                onClick={() => {
                  if (!client || !message) return
                  client.send({
                    conversationId: conversation.id,
                    body: '',
                    forwardOf: message.id,
                    attachmentNames: [],
                  })
                  toast({ title: t('forward.done', { title: conversation.title }) })
                  onClose()
                }}
              >
                <ConversationAvatar conversation={conversation} />
                <span className="min-w-0 truncate text-sm font-medium">{conversation.title}</span>
              </button>
            </li>
          ))}
        </ul>
      </DialogContent>
    </Dialog>
  )
}

export function ImagePreviewDialog({
  attachment,
  onClose,
}: {
  attachment: AttachmentInfo | null
  onClose: () => void
}) {
  const { t } = useTranslation('messenger')
  return (
    <Dialog open={Boolean(attachment)} onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent className="max-w-4xl" data-testid="image-preview">
        <DialogHeader>
          <DialogTitle className="truncate">{attachment?.name}</DialogTitle>
          <DialogDescription className="sr-only">
            {t('attachment.previewDescription')}
          </DialogDescription>
        </DialogHeader>
        {attachment ? (
          <img
            src={attachment.url}
            alt={attachment.name}
            className="mx-auto max-h-[70dvh] w-auto max-w-full rounded-md object-contain"
          />
        ) : null}
        <DialogFooter>
          {attachment ? (
            <Button asChild variant="outline">
              <a href={attachment.url} download={attachment.name}>
                <Download aria-hidden /> {t('attachment.download')}
              </a>
            </Button>
          ) : null}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  )
}

export function MembersDialog({
  open,
  onOpenChange,
  conversation,
  members,
  myUserId,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  conversation: ConversationSummary
  members: ConversationMemberInfo[]
  myUserId: string
}) {
  const { t } = useTranslation('messenger')
  const client = useMessengerClient()
  const navigate = useNavigate()
  const presence = useMessengerState((state) => state.presence)
  const [mode, setMode] = useState<'list' | 'adding' | 'editing'>('list')
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const directory = useDirectory(open && mode === 'adding')
  // The server's rule (group/channel admins), sent with the summary.
  const canManage = conversation.canManage
  const isChannel = conversation.kind === 'channel'

  useEffect(() => {
    if (open) void client?.requestPresence(members.map((member) => member.userId))
  }, [client, members, open])
  useEffect(() => {
    if (open) setMode('list')
  }, [open])

  const refresh = () => client?.setViewing(conversation.id)
  const act = async (action: () => Promise<unknown>) => {
    try {
      await action()
      refresh()
    } catch (error) {
      errorToast(t('errors.actionFailed'), error)
    }
  }
  const memberIds = new Set(members.map((member) => member.userId))
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle className="flex items-center gap-2">
            {conversation.kind === 'channel' ? (
              <Megaphone className="size-4" aria-hidden />
            ) : (
              <Users className="size-4" aria-hidden />
            )}
            {conversation.title}
          </DialogTitle>
          <DialogDescription>
            {conversation.description || t('view.members', { count: conversation.memberCount })}
          </DialogDescription>
        </DialogHeader>
        {mode === 'editing' ? (
          <form
            className="grid gap-3"
            aria-label={isChannel ? t('members.editChannelTitle') : t('members.editTitle')}
            onSubmit={(event) => {
              event.preventDefault()
              void act(async () => {
                const { conversation: updated } = await client!.request('messenger:update', {
                  conversationId: conversation.id,
                  title: title.trim(),
                  ...(isChannel ? { description: description.trim() } : {}),
                })
                client!.applyConversation(updated)
                setMode('list')
              })
            }}
          >
            <Field
              label={t('members.name')}
              inputProps={{
                value: title,
                onChange: (event) => setTitle(event.target.value),
                maxLength: 200,
                required: true,
              }}
            />
            {isChannel ? (
              <Field label={t('members.description')}>
                <Textarea
                  value={description}
                  onChange={(event) => setDescription(event.target.value)}
                  maxLength={1000}
                />
              </Field>
            ) : null}
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => setMode('list')}>
                {t('composer.cancel')}
              </Button>
              <Button type="submit" disabled={!title.trim()}>
                {t('members.save')}
              </Button>
            </DialogFooter>
          </form>
        ) : mode === 'adding' ? (
          <>
            <PeoplePicker
              people={(directory?.people ?? []).filter((person) => !memberIds.has(person.userId))}
              myUserId={myUserId}
              selected={selected}
              onToggle={(userId) => setSelected((current) => toggled(current, userId))}
            />
            <DialogFooter>
              <Button variant="outline" onClick={() => setMode('list')}>
                {t('composer.cancel')}
              </Button>
              <Button
                disabled={!selected.size}
                onClick={() =>
                  void act(async () => {
                    const { conversation: updated } = await client!.request(
                      'messenger:addMembers',
                      {
                        conversationId: conversation.id,
                        userIds: [...selected],
                      },
                    )
                    client!.applyConversation(updated)
                    setSelected(new Set())
                    setMode('list')
                  })
                }
              >
                {t('members.add')}
              </Button>
            </DialogFooter>
          </>
        ) : (
          <>
            <ul className="grid max-h-80 gap-0.5 overflow-y-auto" aria-label={t('members.title')}>
              {members.map((member) => (
                <li key={member.userId} className="flex items-center gap-3 rounded-md px-2 py-1.5">
                  <span className="relative">
                    <Avatar name={member.name} colorKey={member.userId} size="sm" isDecorative />
                    <PresenceDot
                      status={presence[member.userId] ?? 'offline'}
                      className="absolute -end-0.5 -bottom-0.5"
                    />
                  </span>
                  <span className="min-w-0 flex-1">
                    <span className="block truncate text-sm font-medium">{member.name}</span>
                    <span className="block truncate text-xs text-muted-foreground">
                      {member.role === 'admin' ? t('members.admin') : member.email}
                    </span>
                  </span>
                  {canManage && member.userId !== myUserId ? (
                    <>
                      <Button
                        size="icon"
                        variant="ghost"
                        aria-label={t(
                          member.role === 'admin' ? 'members.makeMember' : 'members.makeAdmin',
                          { name: member.name },
                        )}
                        title={t(
                          member.role === 'admin' ? 'members.makeMember' : 'members.makeAdmin',
                          { name: member.name },
                        )}
                        onClick={() =>
                          void act(() =>
                            client!.request('messenger:setMemberRole', {
                              conversationId: conversation.id,
                              userId: member.userId,
                              role: member.role === 'admin' ? 'member' : 'admin',
                            }),
                          )
                        }
                      >
                        {member.role === 'admin' ? (
                          <ShieldOff aria-hidden />
                        ) : (
                          <ShieldCheck aria-hidden />
                        )}
                      </Button>
                      <Button
                        size="icon"
                        variant="ghost"
                        aria-label={t('members.remove', { name: member.name })}
                        onClick={() =>
                          void act(() =>
                            client!.request('messenger:removeMember', {
                              conversationId: conversation.id,
                              userId: member.userId,
                            }),
                          )
                        }
                      >
                        <UserMinus aria-hidden />
                      </Button>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
            <DialogFooter className={cn(!canManage && 'sm:justify-start')}>
              {conversation.kind !== 'meeting' ? (
                <Button
                  variant="outline"
                  onClick={() =>
                    void (async () => {
                      try {
                        await client!.request('messenger:removeMember', {
                          conversationId: conversation.id,
                          userId: myUserId,
                        })
                        onOpenChange(false)
                        navigate('/chats')
                      } catch (error) {
                        errorToast(t('errors.actionFailed'), error)
                      }
                    })()
                  }
                >
                  <LogOut aria-hidden /> {t('members.leave')}
                </Button>
              ) : null}
              {canManage ? (
                <>
                  <Button
                    variant="outline"
                    onClick={() => {
                      setTitle(conversation.title)
                      setDescription(conversation.description)
                      setMode('editing')
                    }}
                  >
                    <Pencil aria-hidden /> {t('members.edit')}
                  </Button>
                  <Button onClick={() => setMode('adding')}>
                    <UserPlus aria-hidden /> {t('members.addPeople')}
                  </Button>
                </>
              ) : null}
            </DialogFooter>
          </>
        )}
      </DialogContent>
    </Dialog>
  )
}

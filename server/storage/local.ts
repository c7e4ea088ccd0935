// Attachments on the local disk under ATTACHMENT_DIR: written to a temporary name and renamed, so a
// crash never leaves half a file under a real key.
import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { ObjectStorage } from './index.ts'

export function createLocalStorage(options: { dir: string }): ObjectStorage {
  const root = path.resolve(options.dir)
  const fileOf = (key: string) => {
    if (!/^[\w-]+(\/[\w.-]+)*$/.test(key) || key.includes('..')) throw new Error('bad storage key')
    return path.join(root, key)
  }
  return {
    kind: 'local',
    async put(key, data) {
      const file = fileOf(key)
      await fs.mkdir(path.dirname(file), { recursive: true })
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`
      await fs.writeFile(temporary, data)
      await fs.rename(temporary, file)
    },
    async get(key) {
      const file = fileOf(key)
      try {
        const stat = await fs.stat(file)
        return { body: createReadStream(file), size: stat.size }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw error
      }
    },
    async delete(key) {
      await fs.rm(fileOf(key), { force: true })
    },
  }
}

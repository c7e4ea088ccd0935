// HTTPS for LAN/phone testing: getUserMedia needs a secure context anywhere but localhost.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import selfsigned from 'selfsigned'

export function loadOrCreateCertificate(options: {
  certFile?: string
  keyFile?: string
  dir: string
}) {
  if (options.certFile && options.keyFile) {
    return { cert: readFileSync(options.certFile), key: readFileSync(options.keyFile) }
  }
  const certFile = path.join(options.dir, 'self-signed.crt')
  const keyFile = path.join(options.dir, 'self-signed.key')
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    const addresses = Object.values(os.networkInterfaces())
      .flat()
      .filter((nic) => nic && nic.family === 'IPv4')
      .map((nic) => nic!.address)
    const pems = selfsigned.generate([{ name: 'commonName', value: 'vstrecha.local' }], {
      keySize: 2048,
      days: 365,
      algorithm: 'sha256',
      extensions: [
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 2, value: os.hostname() },
            ...addresses.map((ip) => ({ type: 7, ip })),
          ],
        },
      ],
    })
    mkdirSync(options.dir, { recursive: true })
    writeFileSync(certFile, pems.cert)
    writeFileSync(keyFile, pems.private, { mode: 0o600 })
  }
  return { cert: readFileSync(certFile), key: readFileSync(keyFile) }
}

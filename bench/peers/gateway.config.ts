// Hive Gateway serving the supergraph mesh-compose built from the sandboxes' OpenAPI
// documents, with each back end's upstream auth (bench/peers.py passes the environment).
//
// Static credentials are in the supergraph as Mesh's `{env.NAME}` operation headers (Club
// Med's x-api-key, Relay's xx-relay-api-key: mesh.config.ts). The two token flows are this
// plugin's: an `onFetch` hook adds the bearer to every call to Club Med (OAuth2 client
// credentials, POST /token) and CareCloud (POST /users/actions/login). A token is fetched
// once, shared by concurrent calls, and renewed a minute before it expires.
import { defineConfig, type GatewayPlugin } from '@graphql-hive/gateway'

const env = (name: string): string => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set`)
  return value
}

const sandbox = env('SANDBOX_URL')
const clubmed = `${sandbox}/clubmed`
const carecloud = `${sandbox}/carecloud`

interface Token {
  value: string
  expires: number // ms since the epoch
}

function cachedToken(fetchToken: () => Promise<Token>): () => Promise<string> {
  let token: Token | undefined
  let renewal: Promise<Token> | undefined // shared by the calls that find no live token
  return async () => {
    if (token && token.expires - 60_000 > Date.now()) return token.value
    renewal ??= fetchToken().finally(() => {
      renewal = undefined // a failed fetch is tried again by the next call
    })
    token = await renewal
    return token.value
  }
}

async function answer(response: Response, what: string): Promise<any> {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status}`)
  return response.json()
}

// Club Med: OAuth2 client credentials (docs/backends/clubmed.md#auth).
const clubmedToken = cachedToken(async () => {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: env('CLUBMED_CLIENT_ID'),
    client_secret: env('CLUBMED_CLIENT_SECRET'),
  })
  const got = await answer(await fetch(`${clubmed}/token`, { method: 'POST', body }), 'Club Med token')
  return { value: got.access_token, expires: Date.now() + got.expires_in * 1000 }
})

// CareCloud: the login route's bearer (docs/backends/carecloud.md#auth).
const carecloudToken = cachedToken(async () => {
  const login = {
    user_external_application_id: env('CARECLOUD_APPLICATION_ID'),
    login: env('CARECLOUD_LOGIN'),
    password: env('CARECLOUD_PASSWORD'),
  }
  const got = await answer(
    await fetch(`${carecloud}/users/actions/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(login),
    }),
    'CareCloud login',
  )
  // valid_to is the project's local time (UTC in the sandbox), without an offset.
  const expires = Date.parse(`${got.data.valid_to.replace(' ', 'T')}Z`)
  return { value: got.data.bearer_token, expires }
})

const upstreamAuth: GatewayPlugin = {
  async onFetch({ url, options, setOptions }) {
    const token = url.startsWith(`${clubmed}/`)
      ? await clubmedToken()
      : url.startsWith(`${carecloud}/`)
        ? await carecloudToken()
        : undefined
    if (token === undefined) return
    const headers = new Headers(options.headers as HeadersInit | undefined)
    headers.set('authorization', `Bearer ${token}`)
    setOptions({ ...options, headers: Object.fromEntries(headers) })
  },
}

export const gatewayConfig = defineConfig({
  plugins: () => [upstreamAuth],
  logging: 'warn',
})

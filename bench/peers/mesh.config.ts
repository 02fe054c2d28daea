// GraphQL Mesh composed from the sandboxes' own OpenAPI documents (bench/peers.py runs
// `mesh-compose` with SANDBOX_URL set; `hive-gateway` then serves the supergraph).
import { createPrefixTransform, defineConfig } from '@graphql-mesh/compose-cli'
import { loadOpenAPISubgraph } from '@omnigraph/openapi'

const sandbox = process.env.SANDBOX_URL ?? "http://127.0.0.1:18100"

export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadOpenAPISubgraph('ClubMed', {
        source: `${sandbox}/clubmed/openapi.json`,
        endpoint: `${sandbox}/clubmed`,
        operationHeaders: { 'x-api-key': '{env.CLUBMED_API_KEY}' },
        ignoreErrorResponses: true,
      }),
      transforms: [createPrefixTransform({ value: 'ClubMed_', includeRootOperations: true })],
    },
    {
      sourceHandler: loadOpenAPISubgraph('CareCloud', {
        source: `${sandbox}/carecloud/openapi.json`,
        endpoint: `${sandbox}/carecloud`,
        ignoreErrorResponses: true,
      }),
      transforms: [createPrefixTransform({ value: 'CareCloud_', includeRootOperations: true })],
    },
    {
      sourceHandler: loadOpenAPISubgraph('Relay', {
        source: `${sandbox}/relay/openapi.json`,
        endpoint: `${sandbox}/relay`,
        operationHeaders: { 'xx-relay-api-key': '{env.RELAY_API_KEY}' },
        ignoreErrorResponses: true,
      }),
      transforms: [createPrefixTransform({ value: 'Relay_', includeRootOperations: true })],
    },
  ],
  additionalTypeDefs: /* GraphQL */ `
    extend type ClubMed_CustomerSearchItem {
      profile: ClubMed_CustomerProfile
        @resolveTo(
          sourceName: "ClubMed"
          sourceTypeName: "Query"
          sourceFieldName: "ClubMed_getCustomerProfile"
          requiredSelectionSet: "{ id }"
          sourceArgs: { customer_id: "{root.id}", accept_language: "en-US" }
        )
      travelers: [ClubMed_Traveler]
        @resolveTo(
          sourceName: "ClubMed"
          sourceTypeName: "Query"
          sourceFieldName: "ClubMed_listTravelers"
          requiredSelectionSet: "{ id }"
          sourceArgs: { customer_id: "{root.id}", accept_language: "en-US" }
        )
    }
  `,
})

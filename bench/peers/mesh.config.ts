// GraphQL Mesh composed from the sandboxes' own OpenAPI documents (bench/peers.py runs
// `mesh-compose` with SANDBOX_URL set; `hive-gateway` then serves the supergraph).
//
// Each back end's types and root fields get its name as a prefix: the three documents share
// type names (Customer, Address) and operationIds (getCustomer, createCustomer).
// ignoreErrorResponses: an upstream error becomes a GraphQL error, and a success answer a
// plain object rather than a union with the documents' error bodies.
import { createPrefixTransform, defineConfig } from '@graphql-mesh/compose-cli'
import { loadOpenAPISubgraph } from '@omnigraph/openapi'

const sandbox = process.env.SANDBOX_URL ?? 'http://127.0.0.1:18100'

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
  // A search item leads to its profile and travelers, one call each (Club Med reads one
  // customer at a time); its required accept-language header is an argument, set here.
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

"""Both gateways' answers to bench.peers' questions, as its run of 2026-12-02 recorded them
(bench/results/2026-12-02-peers.json): this gateway's and GraphQL Mesh's on Hive Gateway,
on the sandboxes of 100,000 customers per back end (seed 42). tests/test_bench_peers.py reads
them to check the comparison without Node.js or a network.
"""

from typing import Any, Final

# The by-id question's customer: Club Med's 123456789, the seed's John Smith.
CUSTOMER_ID: Final = "Q3VzdG9tZXI6Y2x1Ym1lZDoxMjM0NTY3ODk"

ANSWERS: Final[dict[str, dict[str, Any]]] = {
    "search_clubmed_profile_travelers": {
        "gateway": {
            "data": {
                "customers": {
                    "edges": [
                        {
                            "node": {
                                "id": "Q3VzdG9tZXI6Y2x1Ym1lZDoxMjM0NTY3ODk",
                                "backend": "CLUBMED",
                                "nativeId": "123456789",
                                "firstName": "John",
                                "lastName": "Smith",
                                "email": "john@h.fr",
                                "birthCity": "Paris",
                                "locale": "fr-FR",
                                "addresses": [{"city": "Aix-en-Provence", "countryCode": "FR"}],
                                "travelers": [
                                    {
                                        "id": "VHJhdmVsZXI6Y2x1Ym1lZDoxMjM0NTY3ODk6dHJhdmVsZXItMQ",
                                        "nativeId": "traveler-1",
                                        "firstName": "Jane",
                                        "lastName": "Doe",
                                    }
                                ],
                            }
                        },
                        {
                            "node": {
                                "id": "Q3VzdG9tZXI6Y2x1Ym1lZDoyMDAwMDAwNjE",
                                "backend": "CLUBMED",
                                "nativeId": "200000061",
                                "firstName": "Ethan",
                                "lastName": "Smith",
                                "email": "ethan.smith.61@example.net",
                                "birthCity": None,
                                "locale": "fr-FR",
                                "addresses": [{"city": "Paris", "countryCode": "FR"}],
                                "travelers": [],
                            }
                        },
                        {
                            "node": {
                                "id": "Q3VzdG9tZXI6Y2x1Ym1lZDoyMDAwMDAxMzI",
                                "backend": "CLUBMED",
                                "nativeId": "200000132",
                                "firstName": "Paul",
                                "lastName": "Smith",
                                "email": "paul.smith.132@example.com",
                                "birthCity": None,
                                "locale": "en-US",
                                "addresses": [{"city": "Austin", "countryCode": "US"}],
                                "travelers": [],
                            }
                        },
                        {
                            "node": {
                                "id": "Q3VzdG9tZXI6Y2x1Ym1lZDoyMDAwMDA3MTc",
                                "backend": "CLUBMED",
                                "nativeId": "200000717",
                                "firstName": "Hana",
                                "lastName": "Smith",
                                "email": "hana.smith.717@example.org",
                                "birthCity": None,
                                "locale": "fr-FR",
                                "addresses": [{"city": "Aix-en-Provence", "countryCode": "FR"}],
                                "travelers": [
                                    {
                                        "id": "VHJhdmVsZXI6Y2x1Ym1lZDoyMDAwMDA3MTc6dHJhdmVsZXItMQ",
                                        "nativeId": "traveler-1",
                                        "firstName": "Louis",
                                        "lastName": "Smith",
                                    },
                                    {
                                        "id": "VHJhdmVsZXI6Y2x1Ym1lZDoyMDAwMDA3MTc6dHJhdmVsZXItMg",
                                        "nativeId": "traveler-2",
                                        "firstName": "Luca",
                                        "lastName": "Smith",
                                    },
                                    {
                                        "id": "VHJhdmVsZXI6Y2x1Ym1lZDoyMDAwMDA3MTc6dHJhdmVsZXItMw",
                                        "nativeId": "traveler-3",
                                        "firstName": "Inès",
                                        "lastName": "Smith",
                                    },
                                ],
                            }
                        },
                        {
                            "node": {
                                "id": "Q3VzdG9tZXI6Y2x1Ym1lZDoyMDAwMDExMjI",
                                "backend": "CLUBMED",
                                "nativeId": "200001122",
                                "firstName": "Lucas",
                                "lastName": "Smith",
                                "email": "lucas.smith.1122@example.com",
                                "birthCity": None,
                                "locale": "en-US",
                                "addresses": [{"city": "Boston", "countryCode": "US"}],
                                "travelers": [
                                    {
                                        "id": "VHJhdmVsZXI6Y2x1Ym1lZDoyMDAwMDExMjI6dHJhdmVsZXItMQ",
                                        "nativeId": "traveler-1",
                                        "firstName": "Samuel",
                                        "lastName": "Smith",
                                    },
                                    {
                                        "id": "VHJhdmVsZXI6Y2x1Ym1lZDoyMDAwMDExMjI6dHJhdmVsZXItMg",
                                        "nativeId": "traveler-2",
                                        "firstName": "Grace",
                                        "lastName": "Smith",
                                    },
                                    {
                                        "id": "VHJhdmVsZXI6Y2x1Ym1lZDoyMDAwMDExMjI6dHJhdmVsZXItMw",
                                        "nativeId": "traveler-3",
                                        "firstName": "Leo",
                                        "lastName": "Smith",
                                    },
                                ],
                            }
                        },
                        {
                            "node": {
                                "id": "Q3VzdG9tZXI6Y2x1Ym1lZDoyMDAwMDExNDM",
                                "backend": "CLUBMED",
                                "nativeId": "200001143",
                                "firstName": "Lucas",
                                "lastName": "Smith",
                                "email": "lucas.smith.1143@example.org",
                                "birthCity": None,
                                "locale": "fr-FR",
                                "addresses": [{"city": "Aix-en-Provence", "countryCode": "FR"}],
                                "travelers": [
                                    {
                                        "id": "VHJhdmVsZXI6Y2x1Ym1lZDoyMDAwMDExNDM6dHJhdmVsZXItMQ",
                                        "nativeId": "traveler-1",
                                        "firstName": "Mia",
                                        "lastName": "Smith",
                                    },
                                    {
                                        "id": "VHJhdmVsZXI6Y2x1Ym1lZDoyMDAwMDExNDM6dHJhdmVsZXItMg",
                                        "nativeId": "traveler-2",
                                        "firstName": "Leo",
                                        "lastName": "Smith",
                                    },
                                ],
                            }
                        },
                        {
                            "node": {
                                "id": "Q3VzdG9tZXI6Y2x1Ym1lZDoyMDAwMDEyMjY",
                                "backend": "CLUBMED",
                                "nativeId": "200001226",
                                "firstName": "Liam",
                                "lastName": "Smith",
                                "email": "liam.smith.1226@example.com",
                                "birthCity": None,
                                "locale": "fr-FR",
                                "addresses": [{"city": "Lyon", "countryCode": "FR"}],
                                "travelers": [
                                    {
                                        "id": "VHJhdmVsZXI6Y2x1Ym1lZDoyMDAwMDEyMjY6dHJhdmVsZXItMQ",
                                        "nativeId": "traveler-1",
                                        "firstName": "Mateo",
                                        "lastName": "Smith",
                                    }
                                ],
                            }
                        },
                        {
                            "node": {
                                "id": "Q3VzdG9tZXI6Y2x1Ym1lZDoyMDAwMDEyNDk",
                                "backend": "CLUBMED",
                                "nativeId": "200001249",
                                "firstName": "Liam",
                                "lastName": "Smith",
                                "email": "liam.smith.1249@mail.example",
                                "birthCity": None,
                                "locale": "de-DE",
                                "addresses": [{"city": "München", "countryCode": "DE"}],
                                "travelers": [
                                    {
                                        "id": "VHJhdmVsZXI6Y2x1Ym1lZDoyMDAwMDEyNDk6dHJhdmVsZXItMQ",
                                        "nativeId": "traveler-1",
                                        "firstName": "Ethan",
                                        "lastName": "Smith",
                                    },
                                    {
                                        "id": "VHJhdmVsZXI6Y2x1Ym1lZDoyMDAwMDEyNDk6dHJhdmVsZXItMg",
                                        "nativeId": "traveler-2",
                                        "firstName": "Ana",
                                        "lastName": "Smith",
                                    },
                                ],
                            }
                        },
                        {
                            "node": {
                                "id": "Q3VzdG9tZXI6Y2x1Ym1lZDoyMDAwMDEyOTY",
                                "backend": "CLUBMED",
                                "nativeId": "200001296",
                                "firstName": "Léa",
                                "lastName": "Smith",
                                "email": "la.smith.1296@example.com",
                                "birthCity": None,
                                "locale": "de-DE",
                                "addresses": [{"city": "München", "countryCode": "DE"}],
                                "travelers": [
                                    {
                                        "id": "VHJhdmVsZXI6Y2x1Ym1lZDoyMDAwMDEyOTY6dHJhdmVsZXItMQ",
                                        "nativeId": "traveler-1",
                                        "firstName": "Pedro",
                                        "lastName": "Smith",
                                    }
                                ],
                            }
                        },
                        {
                            "node": {
                                "id": "Q3VzdG9tZXI6Y2x1Ym1lZDoyMDAwMDEzNDk",
                                "backend": "CLUBMED",
                                "nativeId": "200001349",
                                "firstName": "Pierre",
                                "lastName": "Smith",
                                "email": "pierre.smith.1349@example.org",
                                "birthCity": None,
                                "locale": "cs-CZ",
                                "addresses": [{"city": "Brno", "countryCode": "CZ"}],
                                "travelers": [],
                            }
                        },
                    ]
                }
            }
        },
        "mesh": {
            "data": {
                "ClubMed_searchCustomers": [
                    {
                        "id": "123456789",
                        "first_name": "John",
                        "last_name": "Smith",
                        "profile": {
                            "email": "john@h.fr",
                            "birth_city": "Paris",
                            "locale": "fr-FR",
                            "address": {"city": "Aix-en-Provence", "country_code": "FR"},
                        },
                        "travelers": [
                            {"id": "traveler-1", "first_name": "Jane", "last_name": "Doe"}
                        ],
                    },
                    {
                        "id": "200000061",
                        "first_name": "Ethan",
                        "last_name": "Smith",
                        "profile": {
                            "email": "ethan.smith.61@example.net",
                            "birth_city": None,
                            "locale": "fr-FR",
                            "address": {"city": "Paris", "country_code": "FR"},
                        },
                        "travelers": [],
                    },
                    {
                        "id": "200000132",
                        "first_name": "Paul",
                        "last_name": "Smith",
                        "profile": {
                            "email": "paul.smith.132@example.com",
                            "birth_city": None,
                            "locale": "en-US",
                            "address": {"city": "Austin", "country_code": "US"},
                        },
                        "travelers": [],
                    },
                    {
                        "id": "200000717",
                        "first_name": "Hana",
                        "last_name": "Smith",
                        "profile": {
                            "email": "hana.smith.717@example.org",
                            "birth_city": None,
                            "locale": "fr-FR",
                            "address": {"city": "Aix-en-Provence", "country_code": "FR"},
                        },
                        "travelers": [
                            {"id": "traveler-1", "first_name": "Louis", "last_name": "Smith"},
                            {"id": "traveler-2", "first_name": "Luca", "last_name": "Smith"},
                            {"id": "traveler-3", "first_name": "Inès", "last_name": "Smith"},
                        ],
                    },
                    {
                        "id": "200001122",
                        "first_name": "Lucas",
                        "last_name": "Smith",
                        "profile": {
                            "email": "lucas.smith.1122@example.com",
                            "birth_city": None,
                            "locale": "en-US",
                            "address": {"city": "Boston", "country_code": "US"},
                        },
                        "travelers": [
                            {"id": "traveler-1", "first_name": "Samuel", "last_name": "Smith"},
                            {"id": "traveler-2", "first_name": "Grace", "last_name": "Smith"},
                            {"id": "traveler-3", "first_name": "Leo", "last_name": "Smith"},
                        ],
                    },
                    {
                        "id": "200001143",
                        "first_name": "Lucas",
                        "last_name": "Smith",
                        "profile": {
                            "email": "lucas.smith.1143@example.org",
                            "birth_city": None,
                            "locale": "fr-FR",
                            "address": {"city": "Aix-en-Provence", "country_code": "FR"},
                        },
                        "travelers": [
                            {"id": "traveler-1", "first_name": "Mia", "last_name": "Smith"},
                            {"id": "traveler-2", "first_name": "Leo", "last_name": "Smith"},
                        ],
                    },
                    {
                        "id": "200001226",
                        "first_name": "Liam",
                        "last_name": "Smith",
                        "profile": {
                            "email": "liam.smith.1226@example.com",
                            "birth_city": None,
                            "locale": "fr-FR",
                            "address": {"city": "Lyon", "country_code": "FR"},
                        },
                        "travelers": [
                            {"id": "traveler-1", "first_name": "Mateo", "last_name": "Smith"}
                        ],
                    },
                    {
                        "id": "200001249",
                        "first_name": "Liam",
                        "last_name": "Smith",
                        "profile": {
                            "email": "liam.smith.1249@mail.example",
                            "birth_city": None,
                            "locale": "de-DE",
                            "address": {"city": "München", "country_code": "DE"},
                        },
                        "travelers": [
                            {"id": "traveler-1", "first_name": "Ethan", "last_name": "Smith"},
                            {"id": "traveler-2", "first_name": "Ana", "last_name": "Smith"},
                        ],
                    },
                    {
                        "id": "200001296",
                        "first_name": "Léa",
                        "last_name": "Smith",
                        "profile": {
                            "email": "la.smith.1296@example.com",
                            "birth_city": None,
                            "locale": "de-DE",
                            "address": {"city": "München", "country_code": "DE"},
                        },
                        "travelers": [
                            {"id": "traveler-1", "first_name": "Pedro", "last_name": "Smith"}
                        ],
                    },
                    {
                        "id": "200001349",
                        "first_name": "Pierre",
                        "last_name": "Smith",
                        "profile": {
                            "email": "pierre.smith.1349@example.org",
                            "birth_city": None,
                            "locale": "cs-CZ",
                            "address": {"city": "Brno", "country_code": "CZ"},
                        },
                        "travelers": [],
                    },
                ]
            }
        },
    },
    "customer_everything": {
        "gateway": {
            "data": {
                "customer": {
                    "id": "Q3VzdG9tZXI6Y2x1Ym1lZDoxMjM0NTY3ODk",
                    "backend": "CLUBMED",
                    "nativeId": "123456789",
                    "membershipNumber": "123456789",
                    "firstName": "John",
                    "middleName": "James",
                    "lastName": "Smith",
                    "birthdate": "1980-01-17",
                    "birthCity": "Paris",
                    "gender": "MALE",
                    "email": "john@h.fr",
                    "phones": [{"number": "0623456789", "type": "MOBILE"}],
                    "locale": "fr-FR",
                    "addresses": [
                        {
                            "line1": None,
                            "city": "Aix-en-Provence",
                            "postalCode": "75000",
                            "countryCode": "FR",
                        }
                    ],
                    "loyalty": {"status": "EXCLUDED", "previousStatus": None, "points": 1200},
                    "consents": [],
                    "travelers": [
                        {
                            "id": "VHJhdmVsZXI6Y2x1Ym1lZDoxMjM0NTY3ODk6dHJhdmVsZXItMQ",
                            "firstName": "Jane",
                            "lastName": "Doe",
                            "birthdate": None,
                        }
                    ],
                    "travelDocuments": [
                        {
                            "id": "VHJhdmVsRG9jdW1lbnQ6Y2x1Ym1lZDoxMjM0NTY3ODk6cGFzc3BvcnQ",
                            "type": "PASSPORT",
                            "number": "XX123456",
                            "expirationDate": "2030-07-01",
                        }
                    ],
                }
            }
        },
        "mesh": {
            "data": {
                "profile": {
                    "gm_number": "123456789",
                    "first_name": "John",
                    "second_name": "James",
                    "last_name": "Smith",
                    "birthdate": "19800117",
                    "birth_city": "Paris",
                    "gender": "M",
                    "email": "john@h.fr",
                    "phones": [{"number": "0623456789", "type": "MOBILE"}],
                    "locale": "fr-FR",
                    "address": {
                        "street": None,
                        "city": "Aix-en-Provence",
                        "zip_code": "75000",
                        "country_code": "FR",
                    },
                    "loyalty_program": {
                        "status": "EXCLUDED",
                        "previous_status": None,
                        "points": 1200,
                    },
                    "optins": [],
                },
                "travelers": [
                    {
                        "id": "traveler-1",
                        "first_name": "Jane",
                        "last_name": "Doe",
                        "birthdate": None,
                    }
                ],
                "documents": {
                    "passport": {"document_number": "XX123456", "expiration_date": "20300701"},
                    "id_card": None,
                    "driving_licence": None,
                    "visas": [],
                },
            }
        },
    },
}

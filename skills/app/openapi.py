"""The OpenAPI 3 description served at /openapi.json; a test checks it against the
app's routes, so it cannot drift."""

from __future__ import annotations

from skills.nlu.language import LANGUAGES

ERROR = {
    "description": "The caller's mistake, in one sentence",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string"}},
            }
        }
    },
}
PRODUCT = {
    "type": "object",
    "required": ["id", "title", "price"],
    "properties": {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "price": {"type": "number"},
    },
}
TURN = {
    "type": "object",
    "required": [
        "session_id",
        "new_session",
        "transcript",
        "intent",
        "slots",
        "reply",
        "ssml",
        "products",
        "end_session",
    ],
    "properties": {
        "session_id": {"type": "string"},
        "new_session": {
            "type": "boolean",
            "description": "The turn started the session (new, or its id had expired)",
        },
        "transcript": {"type": "string"},
        "intent": {"type": "string"},
        "slots": {"type": "object"},
        "confidence": {"type": "number"},
        "unmatched": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Words taken for a product name that the catalogue does not use",
        },
        "reply": {"type": "string"},
        "ssml": {"type": "string"},
        "products": {"type": "array", "items": PRODUCT},
        "end_session": {"type": "boolean"},
    },
}
LANG = {"type": "string", "enum": list(LANGUAGES)}
TURN_ID = {
    "type": "string",
    "pattern": "^[A-Za-z0-9._:-]{1,128}$",
    "description": "The caller's id for this turn of a running session: a retry with the "
    "same id gets the same answer and the turn happens once.",
}
ARRIVAL = {
    "type": "object",
    "description": "How the shopper arrived; read when a session starts (marketing rules)",
    "additionalProperties": False,
    "properties": {
        "campaign": {"type": "string", "maxLength": 64},
        "referrer": {"type": "string", "maxLength": 200},
        "country": {"type": "string", "pattern": "^[A-Za-z]{2}$"},
        "region": {"type": "string", "maxLength": 64},
        "timezone": {"type": "string", "example": "Europe/Paris"},
        "customer_id": {"type": "string", "minLength": 1, "maxLength": 64},
    },
}
STAFF = [{"staffToken": []}]
ADVISER = [{"adviserToken": []}]


def _adviser_route(summary: str, body: bool = False) -> dict:
    """An adviser route on one hand-off: 404 unknown, 409 claimed by another."""
    route: dict = {
        "summary": summary,
        "security": ADVISER,
        "parameters": [
            {"name": "handoff_id", "in": "path", "required": True, "schema": {"type": "string"}}
        ],
        "responses": {
            "200": {
                "description": "The hand-off, or an acknowledgement",
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "401": ERROR,
            "403": ERROR,
            "404": ERROR,
            "409": ERROR,
        },
    }
    if body:
        route["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["text"],
                        "properties": {"text": {"type": "string", "maxLength": 1000}},
                    }
                }
            },
        }
        route["responses"]["400"] = ERROR
    return route


CUSTOMER_ID = {"name": "customer_id", "in": "path", "required": True, "schema": {"type": "string"}}

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "voiceshop", "version": "1", "description": "Voice shopping assistant."},
    "paths": {
        "/v1/turn": {
            "post": {
                "summary": "One text turn of a conversation (a new session without session_id)",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["text"],
                                "properties": {
                                    "session_id": {
                                        "type": "string",
                                        "pattern": "^[A-Za-z0-9._:-]{1,128}$",
                                        "description": "A session a previous turn returned, "
                                        "or one the caller names: started on first use, and "
                                        "afresh once expired",
                                    },
                                    "lang": LANG,
                                    "text": {"type": "string", "minLength": 1, "maxLength": 500},
                                    "context": ARRIVAL,
                                    "turn_id": TURN_ID,
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "The reply",
                        "content": {"application/json": {"schema": TURN}},
                    },
                    "400": ERROR,
                    "404": ERROR,
                    "413": ERROR,
                    "415": ERROR,
                },
            }
        },
        "/v1/turn/audio": {
            "post": {
                "summary": "One spoken turn: a WAV of any rate, width and channels",
                "parameters": [
                    {"name": "session_id", "in": "query", "schema": {"type": "string"}},
                    {"name": "lang", "in": "query", "schema": LANG},
                    {"name": "turn_id", "in": "query", "schema": TURN_ID},
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        kind: {"schema": {"type": "string", "format": "binary"}}
                        for kind in ("audio/wav", "audio/flac", "audio/ogg", "audio/mpeg")
                        + ("audio/webm", "audio/mp4")
                    },
                },
                "responses": {
                    "200": {
                        "description": "The reply, with the spoken reply as base64 WAV "
                        "(or the WAV itself with Accept: audio/wav)",
                        "content": {
                            "application/json": {
                                "schema": {
                                    **TURN,
                                    "properties": {
                                        **TURN["properties"],
                                        "reply_audio": {"type": "string", "format": "byte"},
                                        "asr_confidence": {"type": "number"},
                                    },
                                }
                            },
                            "audio/wav": {"schema": {"type": "string", "format": "binary"}},
                        },
                    },
                    "400": ERROR,
                    "404": ERROR,
                    "413": ERROR,
                    "415": ERROR,
                    "503": {**ERROR, "description": "No speech model for the language here"},
                },
            }
        },
        "/alexa": {
            "post": {
                "summary": "Alexa Skills Kit request, verified as Amazon requires",
                "parameters": [
                    {
                        "name": "SignatureCertChainUrl",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "Signature-256",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "responses": {
                    "200": {
                        "description": "ASK response envelope (SSML outputSpeech)",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "400": ERROR,
                },
            }
        },
        "/dialogflow": {
            "post": {
                "summary": "Dialogflow ES fulfillment",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["session", "queryResult"],
                                "properties": {
                                    "session": {"type": "string"},
                                    "queryResult": {"type": "object"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "fulfillmentText, fulfillmentMessages, outputContexts",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "400": ERROR,
                    "401": ERROR,
                    "415": ERROR,
                },
            }
        },
        "/dialogflow/cx": {
            "post": {
                "summary": "Dialogflow CX webhook",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["sessionInfo"],
                                "properties": {
                                    "sessionInfo": {"type": "object"},
                                    "fulfillmentInfo": {"type": "object"},
                                    "text": {"type": "string"},
                                    "transcript": {"type": "string"},
                                    "languageCode": {"type": "string"},
                                    "detectIntentResponseId": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "fulfillmentResponse.messages, sessionInfo.parameters "
                        "(voiceshop_session_id, voiceshop_end), targetPage at the end",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "400": ERROR,
                    "401": ERROR,
                    "415": ERROR,
                },
            }
        },
        "/v1/report": {
            "get": {
                "summary": "The conversion funnel, rules fired and turns not understood",
                "security": STAFF,
                "parameters": [
                    {
                        "name": "since",
                        "in": "query",
                        "schema": {"type": "string", "format": "date"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "funnel, rules, not_understood",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "400": ERROR,
                    "401": ERROR,
                    "403": ERROR,
                },
            }
        },
        "/v1/customers/{customer_id}/export": {
            "get": {
                "summary": "Everything held about a customer (GDPR access)",
                "security": STAFF,
                "parameters": [CUSTOMER_ID],
                "responses": {
                    "200": {
                        "description": "The record, consents, sessions, events, orders…",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "401": ERROR,
                    "403": ERROR,
                    "404": ERROR,
                },
            }
        },
        "/v1/customers/{customer_id}": {
            "delete": {
                "summary": "Erase a customer (GDPR erasure); orders stay, detached",
                "security": STAFF,
                "parameters": [CUSTOMER_ID],
                "responses": {
                    "200": {
                        "description": "erased, rows",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "401": ERROR,
                    "403": ERROR,
                    "404": ERROR,
                },
            }
        },
        "/v1/agent/queue": {
            "get": {
                "summary": "Conversations waiting for an adviser, and those the caller has",
                "security": ADVISER,
                "responses": {
                    "200": {
                        "description": "waiting, mine",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "401": ERROR,
                    "403": ERROR,
                },
            }
        },
        "/v1/agent/handoffs/{handoff_id}": {
            "get": _adviser_route("A hand-off with transcript, cart, what was understood")
        },
        "/v1/agent/handoffs/{handoff_id}/claim": {
            "post": _adviser_route("Take the conversation (one adviser wins)")
        },
        "/v1/agent/handoffs/{handoff_id}/reply": {
            "post": _adviser_route("An answer the assistant says to the customer", body=True)
        },
        "/v1/agent/handoffs/{handoff_id}/return": {
            "post": _adviser_route("Hand the conversation back to the assistant")
        },
        "/v1/sessions/{session_id}/messages": {
            "get": {
                "summary": "An adviser's answers not yet said, as text and spoken WAV",
                "parameters": [
                    {
                        "name": "session_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "messages: [{text, audio}]",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "404": ERROR,
                },
            }
        },
        "/healthz": {
            "get": {
                "summary": "Liveness, catalogue size and the speech engine per language",
                "responses": {
                    "200": {
                        "description": "status ok, or degraded when a language has no "
                        "speech model (audio: {lang: false}); text turns work either way",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "503": {
                        "description": "status loading: `serve --preload` is still loading "
                        "the speech models",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                },
            }
        },
        "/metrics": {
            "get": {
                "summary": "Prometheus metrics: voiceshop_turns_total by channel and intent, "
                "voiceshop_stage_seconds (stt, skill, tts), voiceshop_http_responses_total "
                "by status",
                "responses": {
                    "200": {
                        "description": "Prometheus text format",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/openapi.json": {
            "get": {
                "summary": "This description",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    },
    "components": {
        "securitySchemes": {
            "staffToken": {"type": "http", "scheme": "bearer"},
            "adviserToken": {"type": "http", "scheme": "bearer"},
        },
    },
}

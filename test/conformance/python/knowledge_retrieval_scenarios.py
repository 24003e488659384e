"""Retrieve and RetrieveAndGenerate through boto3 against an Outcrop endpoint.

Usage: python3 knowledge_retrieval_scenarios.py ENDPOINT_URL KNOWLEDGE_BASE_ID MODEL_ARN

Prints one JSON object: the results of each call, or the error a bad call raised. Credentials come
from the environment.
"""

import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT, KNOWLEDGE_BASE_ID, MODEL_ARN = sys.argv[1:4]
client = boto3.client(
    "bedrock-agent-runtime",
    endpoint_url=ENDPOINT,
    region_name="us-east-1",
    config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
)

retrieved = client.retrieve(
    knowledgeBaseId=KNOWLEDGE_BASE_ID,
    retrievalQuery={"text": "volcanic rock from lava flows"},
    retrievalConfiguration={
        "vectorSearchConfiguration": {
            "numberOfResults": 3,
            "overrideSearchType": "HYBRID",
            "filter": {"equals": {"key": "kind", "value": "igneous"}},
        }
    },
)
answered = client.retrieve_and_generate(
    input={"text": "Which rock forms from lava flows?"},
    retrieveAndGenerateConfiguration={
        "type": "KNOWLEDGE_BASE",
        "knowledgeBaseConfiguration": {"knowledgeBaseId": KNOWLEDGE_BASE_ID, "modelArn": MODEL_ARN},
    },
)
try:
    client.retrieve(
        knowledgeBaseId=KNOWLEDGE_BASE_ID,
        retrievalQuery={"text": "rock"},
        retrievalConfiguration={"vectorSearchConfiguration": {"filter": {"greaterThan": {"key": "hardness", "value": "six"}}}},
    )
    bad_filter = None
except ClientError as error:
    bad_filter = {"code": error.response["Error"]["Code"], "status": error.response["ResponseMetadata"]["HTTPStatusCode"], "message": error.response["Error"]["Message"]}

print(
    json.dumps(
        {
            "retrieve": [
                {"document": result["location"]["customDocumentLocation"]["id"], "score": result["score"], "type": result["content"]["type"], "location": result["location"]}
                for result in retrieved["retrievalResults"]
            ],
            "answer": {
                "sessionId": answered["sessionId"],
                "text": answered["output"]["text"],
                "citations": [
                    {
                        "span": citation["generatedResponsePart"]["textResponsePart"]["span"],
                        "text": citation["generatedResponsePart"]["textResponsePart"]["text"],
                        "documents": [reference["location"]["customDocumentLocation"]["id"] for reference in citation["retrievedReferences"]],
                    }
                    for citation in answered["citations"]
                ],
            },
            "badFilter": bad_filter,
        }
    )
)

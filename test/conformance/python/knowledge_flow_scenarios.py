"""A knowledge base end to end through boto3 against an Outcrop endpoint.

Usage: python3 knowledge_flow_scenarios.py ENDPOINT_URL BUCKET_ARN MODEL_ARN

Creates a knowledge base and an S3 data source on BUCKET_ARN (a bucket the server maps to a local
folder), ingests it, retrieves with a metadata filter, answers with RetrieveAndGenerate, and makes two
bad calls. Prints one JSON object. Credentials come from the environment.
"""

import json
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT, BUCKET_ARN, MODEL_ARN = sys.argv[1:4]
config = Config(retries={"mode": "standard", "total_max_attempts": 1})
agent = boto3.client("bedrock-agent", endpoint_url=ENDPOINT, region_name="us-east-1", config=config)
runtime = boto3.client("bedrock-agent-runtime", endpoint_url=ENDPOINT, region_name="us-east-1", config=config)


def error_of(call):
    try:
        call()
        return None
    except ClientError as error:
        return {
            "code": error.response["Error"]["Code"],
            "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
            "message": error.response["Error"]["Message"],
        }


kb = agent.create_knowledge_base(
    name="boto-company-kb",
    roleArn="arn:aws:iam::123456789012:role/AmazonBedrockExecutionRoleForKnowledgeBase",
    knowledgeBaseConfiguration={
        "type": "VECTOR",
        "vectorKnowledgeBaseConfiguration": {"embeddingModelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"},
    },
)["knowledgeBase"]
kb_id = kb["knowledgeBaseId"]
ds = agent.create_data_source(
    knowledgeBaseId=kb_id,
    name="boto-company-folder",
    dataSourceConfiguration={"type": "S3", "s3Configuration": {"bucketArn": BUCKET_ARN}},
)["dataSource"]
job = agent.start_ingestion_job(knowledgeBaseId=kb_id, dataSourceId=ds["dataSourceId"])["ingestionJob"]
for _ in range(600):
    job = agent.get_ingestion_job(knowledgeBaseId=kb_id, dataSourceId=ds["dataSourceId"], ingestionJobId=job["ingestionJobId"])["ingestionJob"]
    if job["status"] not in ("STARTING", "IN_PROGRESS", "STOPPING"):
        break
    time.sleep(0.1)

retrieved = runtime.retrieve(
    knowledgeBaseId=kb_id,
    retrievalQuery={"text": "How many days of paid holiday leave does an employee get?"},
    retrievalConfiguration={
        "vectorSearchConfiguration": {
            "numberOfResults": 5,
            "overrideSearchType": "HYBRID",
            "filter": {"andAll": [{"equals": {"key": "department", "value": "hr"}}, {"greaterThanOrEquals": {"key": "year", "value": 2024}}]},
        }
    },
)
answered = runtime.retrieve_and_generate(
    input={"text": "How much rain fell at Kestrel Ridge in 2023?"},
    retrieveAndGenerateConfiguration={"type": "KNOWLEDGE_BASE", "knowledgeBaseConfiguration": {"knowledgeBaseId": kb_id, "modelArn": MODEL_ARN}},
)
streamed = runtime.retrieve_and_generate_stream(
    input={"text": "How much rain fell at Kestrel Ridge in 2023?"},
    retrieveAndGenerateConfiguration={"type": "KNOWLEDGE_BASE", "knowledgeBaseConfiguration": {"knowledgeBaseId": kb_id, "modelArn": MODEL_ARN}},
)
stream_text, stream_citations = "", 0
for event in streamed["stream"]:
    if "output" in event:
        stream_text += event["output"]["text"]
    if "citation" in event:
        stream_citations += 1
missing = error_of(lambda: runtime.retrieve(knowledgeBaseId="NOSUCHKB00", retrievalQuery={"text": "rain"}))
bad_filter = error_of(
    lambda: runtime.retrieve(
        knowledgeBaseId=kb_id,
        retrievalQuery={"text": "rain"},
        retrievalConfiguration={"vectorSearchConfiguration": {"filter": {"in": {"key": "department", "value": "hr"}}}},
    )
)

print(
    json.dumps(
        {
            "job": {"status": job["status"], "statistics": job.get("statistics", {})},
            "retrieve": [
                {"uri": result["location"]["s3Location"]["uri"], "department": result["metadata"].get("department"), "text": result["content"]["text"]}
                for result in retrieved["retrievalResults"]
            ],
            "answer": {
                "text": answered["output"]["text"],
                "citations": [
                    {
                        "span": citation["generatedResponsePart"]["textResponsePart"]["span"],
                        "text": citation["generatedResponsePart"]["textResponsePart"]["text"],
                        "uris": [reference["location"]["s3Location"]["uri"] for reference in citation["retrievedReferences"]],
                    }
                    for citation in answered["citations"]
                ],
            },
            "stream": {"text": stream_text, "citations": stream_citations, "sessionId": streamed["sessionId"]},
            "missing": None if missing is None else {"code": missing["code"], "status": missing["status"]},
            "badFilter": bad_filter,
        }
    )
)

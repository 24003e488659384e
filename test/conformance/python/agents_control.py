"""boto3 bedrock-agent against Outcrop: create + action group + prepare + alias, printed as one JSON line."""
import json
import os
import sys

import boto3
from botocore.config import Config

client = boto3.client(
    "bedrock-agent",
    endpoint_url=sys.argv[1],
    region_name="us-east-1",
    config=Config(retries={"max_attempts": 1}),
)
out = {}
agent = client.create_agent(
    agentName="boto3-agent",
    foundationModel="outcrop.text",
    instruction="You look up orders for customers and answer in one short sentence.",
    agentResourceRoleArn="arn:aws:iam::000000000000:role/agents",
)["agent"]
agent_id = agent["agentId"]
out["created"] = {"status": agent["agentStatus"], "ttl": agent["idleSessionTTLInSeconds"], "arn": agent["agentArn"]}
client.create_agent_action_group(
    agentId=agent_id,
    agentVersion="DRAFT",
    actionGroupName="orders",
    actionGroupExecutor={"customControl": "RETURN_CONTROL"},
    functionSchema={"functions": [{"name": "get_order", "description": "One order", "parameters": {"order_id": {"type": "string", "required": True}}}]},
)
prepared = client.prepare_agent(agentId=agent_id)
out["prepared"] = {"status": prepared["agentStatus"], "version": prepared["agentVersion"], "hasPreparedAt": "preparedAt" in prepared}
alias = client.create_agent_alias(agentId=agent_id, agentAliasName="live")["agentAlias"]
out["alias"] = {"routing": alias["routingConfiguration"], "status": alias["agentAliasStatus"], "arn": alias["agentAliasArn"], "id": alias["agentAliasId"]}
versions = client.list_agent_versions(agentId=agent_id)["agentVersionSummaries"]
out["versions"] = [item["agentVersion"] for item in versions]
try:
    client.create_agent(agentName="boto3-agent", foundationModel="outcrop.text")
except client.exceptions.ConflictException as error:
    out["duplicate"] = {"code": error.response["Error"]["Code"], "status": error.response["ResponseMetadata"]["HTTPStatusCode"], "message": error.response["Error"]["Message"]}
try:
    client.get_agent(agentId="NOSUCHAGNT")
except client.exceptions.ResourceNotFoundException as error:
    out["missing"] = {"code": error.response["Error"]["Code"], "status": error.response["ResponseMetadata"]["HTTPStatusCode"]}
runtime = boto3.client(
    "bedrock-agent-runtime",
    endpoint_url=sys.argv[1],
    region_name="us-east-1",
    config=Config(retries={"max_attempts": 1}),
)


def read_completion(response):
    kinds, text = [], ""
    for event in response["completion"]:
        kind = next(iter(event))
        kinds.append(kind)
        if kind == "chunk":
            text += event["chunk"]["bytes"].decode("utf-8")
    return {"kinds": sorted(set(kinds)), "text": text, "sessionId": response["sessionId"]}


out["invoked"] = read_completion(
    runtime.invoke_agent(agentId=agent_id, agentAliasId=alias["agentAliasId"], sessionId="boto3-session", inputText="Hello there", enableTrace=True)
)
out["inline"] = read_completion(
    runtime.invoke_inline_agent(
        sessionId="boto3-inline",
        foundationModel="outcrop.text",
        instruction="You answer questions about rocks in one short sentence.",
        inputText="What is basalt?",
    )
)
try:
    read_completion(runtime.invoke_agent(agentId=agent_id, agentAliasId="NOSUCHALIA", sessionId="boto3-missing", inputText="hi"))
except runtime.exceptions.ResourceNotFoundException as error:
    out["missingAlias"] = {"code": error.response["Error"]["Code"], "status": error.response["ResponseMetadata"]["HTTPStatusCode"]}
print(json.dumps(out))

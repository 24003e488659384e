"""Runs Bedrock scenarios through boto3 against an Outcrop endpoint.

Usage: python3 boto3_scenarios.py ENDPOINT_URL [SCENARIO ...]

Prints one JSON object per line and scenario: {"scenario": name, "result": ...} when the calls
return, {"scenario": name, "raised": {...}} when they raise, {"scenario": name, "skipped": reason}
when this botocore lacks what the scenario needs. Credentials come from the environment.
"""

import json
import os
import sys
import tempfile

import boto3
import botocore
import botocore.session
import botocore.utils
from botocore.config import Config
from botocore.exceptions import ClientError, EventStreamError

ENDPOINT = sys.argv[1]
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})
ANTHROPIC_BODY = {
    "anthropic_version": "bedrock-2023-05-31",
    "max_tokens": 64,
    "messages": [{"role": "user", "content": [{"type": "text", "text": "What is granite?"}]}],
}
HARDNESS_TOOL = {
    "tools": [
        {
            "toolSpec": {
                "name": "get_rock_hardness",
                "description": "Looks up the hardness of a rock.",
                "inputSchema": {
                    "json": {
                        "type": "object",
                        "properties": {"rock": {"type": "string"}, "scale": {"type": "string"}},
                        "required": ["rock"],
                    }
                },
            }
        }
    ]
}


class Skip(Exception):
    pass


def client(service, **kwargs):
    kwargs.setdefault("config", NO_RETRIES)
    return boto3.client(service, endpoint_url=ENDPOINT, region_name="us-east-1", **kwargs)


def user(text):
    return {"role": "user", "content": [{"text": text}]}


def without_metadata(response):
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}


def converse_text():
    return without_metadata(client("bedrock-runtime").converse(modelId="outcrop.text", messages=[user("What is granite?")]))


def converse_tools():
    response = client("bedrock-runtime").converse(
        modelId="outcrop.tools", messages=[user("How hard is granite?")], toolConfig=HARDNESS_TOOL
    )
    return without_metadata(response)


def converse_tool_result():
    messages = [
        user("tool-round-trip: how hard is granite?"),
        {
            "role": "assistant",
            "content": [
                {"toolUse": {"toolUseId": "call_8f2b1c", "name": "get_rock_hardness", "input": {"rock": "granite", "scale": "mohs"}}}
            ],
        },
        {
            "role": "user",
            "content": [{"toolResult": {"toolUseId": "call_8f2b1c", "content": [{"json": {"hardness": 6.5}}], "status": "success"}}],
        },
    ]
    return without_metadata(client("bedrock-runtime").converse(modelId="outcrop.tools", messages=messages, toolConfig=HARDNESS_TOOL))


def collect_converse_stream(model_id):
    response = client("bedrock-runtime").converse_stream(modelId=model_id, messages=[user("What is granite?")])
    events, text = [], []
    try:
        for event in response["stream"]:
            name = next(iter(event))
            events.append(name)
            delta = event[name].get("delta", {}) if name == "contentBlockDelta" else {}
            text.append(delta.get("text", ""))
            if name == "messageStop":
                stop_reason = event[name]["stopReason"]
            if name == "metadata":
                usage = event[name]["usage"]
    except EventStreamError as error:
        return {
            "events": events,
            "text": "".join(text),
            "streamError": {"type": type(error).__name__, "code": error.response["Error"]["Code"], "message": error.response["Error"]["Message"]},
        }
    return {"events": events, "text": "".join(text), "stopReason": stop_reason, "usage": usage}


def converse_stream_text():
    return collect_converse_stream("outcrop.text")


def converse_stream_midstream_error():
    return collect_converse_stream("outcrop.midstream-error")


def invoke_model_anthropic():
    response = client("bedrock-runtime").invoke_model(
        modelId="anthropic.claude-3-haiku-20240307-v1:0", body=json.dumps(ANTHROPIC_BODY), contentType="application/json", accept="application/json"
    )
    return {"contentType": response["contentType"], "body": json.loads(response["body"].read())}


def invoke_model_stream_anthropic():
    response = client("bedrock-runtime").invoke_model_with_response_stream(
        modelId="anthropic.claude-3-haiku-20240307-v1:0", body=json.dumps(ANTHROPIC_BODY), contentType="application/json"
    )
    chunks = []
    for event in response["body"]:
        name = next(iter(event))
        if name != "chunk":
            raise AssertionError(f"unexpected event {name}")
        chunks.append(json.loads(event["chunk"]["bytes"]))
    return {"chunks": chunks}


def count_tokens():
    runtime = client("bedrock-runtime")
    if "CountTokens" not in runtime.meta.service_model.operation_names:
        raise Skip(f"botocore {botocore.__version__} has no CountTokens operation")
    response = runtime.count_tokens(modelId="outcrop.text", input={"converse": {"messages": [user("What is granite?")]}})
    return without_metadata(response)


def runtime_with_output_effort():
    """
    A bedrock-runtime client whose model has OutputConfig.effort. botocore releases from before AWS
    added the member refuse it in their parameter validation; for those, the member is added to the
    installed model as AWS's own model declares it (a string of 0 to 16 characters), as a newer
    botocore release would have it, and the client is built from that model.
    """
    runtime = client("bedrock-runtime")
    if "effort" in runtime.meta.service_model.shape_for("OutputConfig").members:
        return runtime
    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    api_version = runtime.meta.service_model.api_version
    model = loader.load_service_model("bedrock-runtime", "service-2", api_version)
    model["shapes"]["OutputConfig"]["members"]["effort"] = {"shape": "OutputConfigEffortString"}
    model["shapes"]["OutputConfigEffortString"] = {"type": "string", "max": 16, "min": 0}
    directory = tempfile.mkdtemp(prefix="outcrop-botocore-")
    target = os.path.join(directory, "bedrock-runtime", api_version)
    os.makedirs(target)
    with open(os.path.join(target, "service-2.json"), "w") as file:
        json.dump(model, file)
    loader.search_paths.insert(0, directory)
    return boto3.Session(botocore_session=session).client("bedrock-runtime", endpoint_url=ENDPOINT, region_name="us-east-1", config=NO_RETRIES)


def converse_output_effort():
    runtime = runtime_with_output_effort()
    response = runtime.converse(modelId="outcrop.text", messages=[user("effort-boto3: what is granite?")], outputConfig={"effort": "low"})
    return without_metadata(response)


def list_foundation_models():
    control = client("bedrock")
    everything = control.list_foundation_models()["modelSummaries"]
    by_provider = control.list_foundation_models(byProvider="Outcrop")["modelSummaries"]
    by_other_provider = control.list_foundation_models(byProvider="NoSuchVendor")["modelSummaries"]
    return {"all": everything, "byProviderOutcrop": by_provider, "byProviderOther": by_other_provider}


def get_foundation_model():
    control = client("bedrock")
    by_id = control.get_foundation_model(modelIdentifier="outcrop.text")["modelDetails"]
    by_alias = control.get_foundation_model(modelIdentifier="meta.llama3-1-8b-instruct-v1:0")["modelDetails"]
    return {"byId": by_id, "byAlias": by_alias}


def unknown_model():
    return client("bedrock-runtime").converse(modelId="outcrop.no-such-model", messages=[user("hi")])


def wrong_secret_key():
    credentials = {"aws_access_key_id": "AKIAOUTCROPTEST00001", "aws_secret_access_key": "not-the-right-secret-key-0000000000000000"}
    return client("bedrock-runtime", **credentials).converse(modelId="outcrop.text", messages=[user("hi")])


def unknown_access_key():
    credentials = {"aws_access_key_id": "AKIANOSUCHKEY0000000", "aws_secret_access_key": "outcrop/test/secret/key/0123456789abcdefgh"}
    return client("bedrock-runtime", **credentials).converse(modelId="outcrop.text", messages=[user("hi")])


def rate_limited():
    return client("bedrock-runtime").converse(modelId="outcrop.rate-limited", messages=[user("hi")])


def bearer_converse():
    """Run with only AWS_BEARER_TOKEN_BEDROCK in the environment, no access keys."""
    if not hasattr(botocore.utils, "get_token_from_environment"):
        raise Skip(f"botocore {botocore.__version__} does not read AWS_BEARER_TOKEN_BEDROCK")
    return without_metadata(client("bedrock-runtime").converse(modelId="outcrop.text", messages=[user("What is granite?")]))


SCENARIOS = {
    function.__name__.replace("_", "-"): function
    for function in [
        converse_text,
        converse_tools,
        converse_tool_result,
        converse_stream_text,
        converse_stream_midstream_error,
        invoke_model_anthropic,
        invoke_model_stream_anthropic,
        count_tokens,
        converse_output_effort,
        list_foundation_models,
        get_foundation_model,
        unknown_model,
        wrong_secret_key,
        unknown_access_key,
        rate_limited,
        bearer_converse,
    ]
}


def describe_error(error):
    described = {"type": type(error).__name__, "message": str(error)}
    if isinstance(error, ClientError):
        described["code"] = error.response["Error"]["Code"]
        described["status"] = error.response["ResponseMetadata"].get("HTTPStatusCode")
        described["errorMessage"] = error.response["Error"].get("Message")
        described["headers"] = error.response["ResponseMetadata"].get("HTTPHeaders", {})
    return described


def main():
    for name in sys.argv[2:] or [name for name in SCENARIOS if name != "bearer-converse"]:
        try:
            line = {"scenario": name, "result": SCENARIOS[name]()}
        except Skip as skip:
            line = {"scenario": name, "skipped": str(skip)}
        except Exception as error:  # reported to the test, which decides
            line = {"scenario": name, "raised": describe_error(error)}
        print(json.dumps(line, default=str), flush=True)


if __name__ == "__main__":
    main()

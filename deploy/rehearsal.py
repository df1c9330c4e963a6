"""The deploy rehearsal: docs/deploy.md played against moto's server and a throwaway
PostgreSQL, on 127.0.0.1 only (``make rehearse``; CI runs it).

Run as ``scripts/with-postgres python -m deploy.rehearsal`` after ``scripts/package``. Every
command it starts, and the rehearsal itself, has :mod:`deploy.loopback` installed, so nothing
reaches AWS or the internet, Zappa's update check included. What it proves and what only a
real account can is in docs/deploy.md ("What the rehearsal proves").
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import glibc, loopback
from .motoserver import moto_server
from .settings import SECRETS, env_file_write, production_env
from .stacks import ROOT, STACKS, Deployment, Stack, outputs, stack_parameters
from .stages import LOOKUPS, stage_settings
from .templates import cidr_evaluated, resolve, template

WORK = ROOT / ".rehearsal"
PACKAGES = ROOT / ".deploy"
DEPLOY_VENV = PACKAGES / "venv"
ACCOUNT = "123456789012"  # moto's account
REGION = "us-east-1"
CHOICES = {
    "JAMCC_NAME": "rehearsal",
    "JAMCC_DOMAIN": "support.jamcc-rehearsal.test",
    "AWS_REGION": REGION,
    "CONNECT_INSTANCE_ARN": (
        f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/11111111-2222-4333-8444-555555555555"
    ),
}
STAGES = ("lookup-prompts", "lookup-customer", "site", "publish")
# Never in a function's environment: the secrets, and the database URL (it names the host).
SECRET_NAMES = sorted(SECRETS | {"DATABASE_URL"})
SUPPORT_NUMBER = "+12025550199"


class RehearsalFailed(AssertionError):
    """A step did not give what docs/deploy.md says it gives."""


def check(condition: object, message: str) -> None:
    if not condition:
        raise RehearsalFailed(message)


class Rehearsal:
    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.started = time.monotonic()
        self.endpoint = ""
        self.outputs: dict[str, dict[str, str]] = {}
        self.lines: list[str] = []
        self.deployment = Deployment.from_environment(ACCOUNT, CHOICES)

    # --- Output -----------------------------------------------------------------------------

    def say(self, text: str) -> None:
        line = f"[{time.monotonic() - self.started:6.1f}s] {text}"
        self.lines.append(line)
        print(line, flush=True)

    @contextmanager
    def step(self, title: str) -> Iterator[None]:
        print(f"\n== {title}", flush=True)
        began = time.monotonic()
        yield
        self.say(f"ok: {title} ({time.monotonic() - began:.1f}s)")

    # --- AWS on loopback --------------------------------------------------------------------

    def aws_env(self) -> dict[str, str]:
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "rehearsal",
            "AWS_SECRET_ACCESS_KEY": "rehearsal",
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            # The guard, for every Python the rehearsal starts (sitecustomize runs at start-up).
            "PYTHONPATH": str(WORK / "guard"),
            "HOME": str(WORK / "home"),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        }

    def client(self, service: str) -> Any:  # noqa: ANN401 - boto3 client
        import boto3

        return boto3.client(  # type: ignore[call-overload]
            service,
            region_name=REGION,
            endpoint_url=self.endpoint,
            aws_access_key_id="rehearsal",
            aws_secret_access_key="rehearsal",
        )

    def run(self, command: list[str], *, env: dict[str, str], cwd: Path = ROOT) -> str:
        done = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300
        )
        if done.returncode != 0:
            raise RehearsalFailed(
                f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
            )
        return done.stdout + done.stderr

    # --- Steps ------------------------------------------------------------------------------

    def prepare(self) -> None:
        shutil.rmtree(WORK, ignore_errors=True)
        (WORK / "guard").mkdir(parents=True)
        (WORK / "home").mkdir()
        source = Path(loopback.__file__).read_text(encoding="utf-8")
        (WORK / "guard" / "sitecustomize.py").write_text(source + "\ninstall()\n")
        missing = [stage for stage in STAGES if not (PACKAGES / f"{stage}.zip").exists()]
        check(not missing, f"build the packages first (scripts/package): missing {missing}")

    def glibc_scan(self) -> None:
        limit = glibc.LAMBDA_GLIBC
        found: list[glibc.Finding] = []
        objects = 0
        for stage in STAGES:
            with zipfile.ZipFile(PACKAGES / f"{stage}.zip") as archive:
                objects += sum(glibc.is_shared_object(name) for name in archive.namelist())
            found += glibc.scan_zip(PACKAGES / f"{stage}.zip", limit)
        check(not found, f"shared objects need a newer glibc than Lambda's: {found}")
        self.say(f"{objects} shared objects in {len(STAGES)} packages need glibc <= 2.26")

    def stacks(self) -> None:
        """Every stack in the documented order; what moto cannot create goes to its API."""
        cfn = self.client("cloudformation")
        by_api: dict[str, Callable[[Stack], dict[str, str]]] = {
            "jam-cc-database": self.database_by_api,
            "jam-cc-auth": self.auth_by_api,
            "jam-cc-web": self.web_by_api,
        }
        for stack in STACKS:
            if stack.after_functions:
                continue
            if stack.name in by_api:
                self.outputs[stack.name] = by_api[stack.name](stack)
                continue
            values = self.deployment.parameter_values(earlier=self.outputs)
            body = template(stack.template)
            # moto has no Fn::Cidr, and its YAML reader splits "!GetAtt A.B.C" at every dot:
            # it gets the same template as JSON in long form, with Fn::Cidr worked out here.
            parameters = {
                p["ParameterKey"]: p["ParameterValue"] for p in stack_parameters(stack, values)
            }
            defaults = {k: v.get("Default") for k, v in body.get("Parameters", {}).items()}
            body = cidr_evaluated(body, {**defaults, **parameters})
            cfn.create_stack(
                StackName=stack.name,
                TemplateBody=json.dumps(body),
                Parameters=stack_parameters(stack, values),
                Capabilities=list(stack.capabilities),
            )
            [found] = cfn.describe_stacks(StackName=stack.name)["Stacks"]
            check(
                found["StackStatus"] == "CREATE_COMPLETE",
                f"{stack.name}: {found['StackStatus']} {found.get('StackStatusReason', '')}",
            )
            self.outputs[stack.name] = outputs(cfn, stack.name)
            self.say(f"{stack.name}: created by moto's CloudFormation from infra/{stack.template}")

    def database_by_api(self, stack: Stack) -> dict[str, str]:
        # moto's RDS has no managed master secret (GetAtt MasterUserSecret.SecretArn); the
        # throwaway PostgreSQL is the database, its credentials in a Secrets Manager secret
        # shaped as RDS's ({"username", "password"}).
        url = urlsplit(self.database_url)
        secret = self.client("secretsmanager").create_secret(
            Name="rds!db-rehearsal",
            SecretString=json.dumps({"username": url.username, "password": url.password}),
        )
        self.say(
            f"{stack.name}: moto cannot; PostgreSQL at 127.0.0.1:{url.port}, "
            "its credentials in a Secrets Manager secret"
        )
        return {
            "DatabaseHost": url.hostname or "",
            "DatabasePort": str(url.port),
            "DatabaseName": url.path.lstrip("/"),
            "DatabaseSecretArn": secret["ARN"],
        }

    def template_names(self, stack: Stack, body: dict[str, Any]) -> dict[str, Any]:
        """What ``Ref`` and ``Fn::Sub`` see in the template: pseudo parameters, then its
        parameters as ``deploy stacks`` would pass them (defaults for the rest)."""
        given = {
            item["ParameterKey"]: item["ParameterValue"]
            for item in stack_parameters(stack, self.deployment.parameter_values())
        }
        return {
            "AWS::StackName": stack.name,
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::Partition": "aws",
            **{name: spec.get("Default") for name, spec in body.get("Parameters", {}).items()},
            **given,
        }

    def auth_by_api(self, stack: Stack) -> dict[str, str]:
        """auth.yaml's user pool, app client, domain and groups, with the template's properties."""
        body = template(stack.template)
        names = self.template_names(stack, body)
        for listed in ("CallbackUrls", "LogoutUrls"):  # CommaDelimitedList parameters
            names[listed] = names[listed].split(",")
        resources = body["Resources"]
        iam, cognito = self.client("iam"), self.client("cognito-idp")
        sms = resources["SmsRole"]["Properties"]
        role = iam.create_role(
            RoleName=f"{stack.name}-sms",
            AssumeRolePolicyDocument=json.dumps(resolve(sms["AssumeRolePolicyDocument"], names)),
        )
        names["SmsRole.Arn"] = role["Role"]["Arn"]
        pool_properties = resolve(resources["UserPool"]["Properties"], names)
        pool_properties["PoolName"] = pool_properties.pop("UserPoolName")
        pool = cognito.create_user_pool(**pool_properties)["UserPool"]
        names["UserPool"], names["UserPool.Arn"] = pool["Id"], pool["Arn"]
        client = cognito.create_user_pool_client(
            **resolve(resources["AppClient"]["Properties"], names)
        )
        names["AppClient"] = client["UserPoolClient"]["ClientId"]
        cognito.create_user_pool_domain(**resolve(resources["Domain"]["Properties"], names))
        names["Domain"] = names["DomainPrefix"]
        for logical, spec in resources.items():
            if spec["Type"] == "AWS::Cognito::UserPoolGroup":
                cognito.create_group(**resolve(spec["Properties"], names))
                names[logical] = spec["Properties"]["GroupName"]
        self.say(
            f"{stack.name}: Cognito by its API with auth.yaml's properties "
            "(moto's CloudFormation has no Cognito)"
        )
        return {key: str(resolve(spec["Value"], names)) for key, spec in body["Outputs"].items()}

    def web_by_api(self, stack: Stack) -> dict[str, str]:
        """web.yaml's buckets and CloudFront distribution, with the template's properties."""
        body = template(stack.template)
        names = self.template_names(stack, body)
        resources = body["Resources"]
        s3, cloudfront = self.client("s3"), self.client("cloudfront")
        for logical in ("StaticBucket", "MediaBucket"):
            properties = resolve(resources[logical]["Properties"], names)
            bucket = properties["BucketName"]
            s3.create_bucket(Bucket=bucket)
            s3.put_public_access_block(
                Bucket=bucket,
                PublicAccessBlockConfiguration=properties["PublicAccessBlockConfiguration"],
            )
            names[logical] = bucket
            names[f"{logical}.RegionalDomainName"] = f"{bucket}.s3.{REGION}.amazonaws.com"
            names[f"{logical}.Arn"] = f"arn:aws:s3:::{bucket}"
        control = resolve(resources["StaticOriginAccessControl"]["Properties"], names)
        created = cloudfront.create_origin_access_control(**control)
        names["StaticOriginAccessControl.Id"] = created["OriginAccessControl"]["Id"]
        config = resolve(resources["StaticDistribution"]["Properties"]["DistributionConfig"], names)
        # The API takes CloudFormation's lists as {Quantity, Items}.
        behavior = config["DefaultCacheBehavior"]
        methods = behavior.pop("AllowedMethods")
        behavior["AllowedMethods"] = {
            "Quantity": len(methods),
            "Items": methods,
            "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]},
        }
        distribution = cloudfront.create_distribution(
            DistributionConfig={
                **config,
                "CallerReference": stack.name,
                "Origins": {"Quantity": len(config["Origins"]), "Items": config["Origins"]},
                "DefaultCacheBehavior": behavior,
            }
        )["Distribution"]
        names["StaticDistribution"] = distribution["Id"]
        names["StaticDistribution.DomainName"] = distribution["DomainName"]
        self.say(f"{stack.name}: S3 and CloudFront by their APIs with web.yaml's properties")
        return {key: str(resolve(spec["Value"], names)) for key, spec in body["Outputs"].items()}

    def zappa_deploy(self) -> dict[str, dict[str, Any]]:
        stages = stage_settings(self.deployment, self.outputs)
        for stage in stages.values():
            # The rehearsal's API URL is not on loopback: Zappa's request to it is skipped.
            stage["touch"] = False
        settings_file = WORK / "zappa_settings.json"
        settings_file.write_text(json.dumps(stages, indent=4))
        env = {**self.aws_env(), "VIRTUAL_ENV": str(DEPLOY_VENV)}
        for name in STAGES:
            out = self.run(
                [
                    str(DEPLOY_VENV / "bin" / "zappa"),
                    "deploy",
                    name,
                    "-s",
                    str(settings_file),
                    "--zip",
                    str(PACKAGES / f"{name}.zip"),
                ],
                env=env,
            )
            check("Deployment complete" in out, f"zappa deploy {name}:\n{out}")
            refused = "refused a connection to pypi.org" in out
            self.say(
                f"zappa deploy {name}: complete"
                + ("; its update check to pypi.org was refused" if refused else "")
            )
        return stages

    def functions_check(
        self, stages: dict[str, dict[str, Any]], secrets: dict[str, str]
    ) -> dict[str, str]:
        lambdas, iam = self.client("lambda"), self.client("iam")
        arns: dict[str, str] = {}
        for name in STAGES:
            stage = stages[name]
            config = lambdas.get_function_configuration(FunctionName=f"jamcc-{name}")
            arns[name] = config["FunctionArn"]
            handler = stage.get("lambda_handler", "handler.lambda_handler")
            check(config["Runtime"] == "python3.11", f"{name}: runtime {config['Runtime']}")
            check(
                config["Handler"] == handler, f"{name}: handler {config['Handler']}, not {handler}"
            )
            check(
                config["MemorySize"] == stage["memory_size"],
                f"{name}: memory {config['MemorySize']}",
            )
            check(
                config["Timeout"] == stage["timeout_seconds"],
                f"{name}: timeout {config['Timeout']}",
            )
            check(config["Role"] == stage["role_arn"], f"{name}: role {config['Role']}")
            vpc = config.get("VpcConfig") or {}
            if name in ("site", "publish"):
                check(
                    sorted(vpc.get("SubnetIds", [])) == sorted(stage["vpc_config"]["SubnetIds"])
                    and vpc.get("SecurityGroupIds") == stage["vpc_config"]["SecurityGroupIds"],
                    f"{name}: VPC {vpc}",
                )
            else:
                check(not vpc.get("SubnetIds"), f"{name}: a lookup needs no VPC, has {vpc}")
            environment = config.get("Environment", {}).get("Variables", {})
            leaked = [k for k in SECRET_NAMES if k in environment]
            leaked += [k for k, v in environment.items() if v in secrets.values()]
            check(not leaked, f"{name}: secrets in the function's environment: {leaked}")
            if name in ("site", "publish"):
                check(
                    environment.get("SETTINGS_PARAMETER_PATH") == "/jam-cc/site",
                    f"{name}: settings source {environment}",
                )
            wildcards = self.role_wildcards(iam, stage["role_arn"].rsplit("/", 1)[1])
            check(not wildcards, f"{name}: wildcard actions on its role: {wildcards}")
            self.say(
                f"jamcc-{name}: {config['Runtime']}, {config['MemorySize']} MB, "
                f"{config['Timeout']} s, VPC {'yes' if vpc.get('SubnetIds') else 'no'}, "
                f"env {sorted(environment)}, role {config['Role'].rsplit('/', 1)[1]}"
            )
        return arns

    @staticmethod
    def role_wildcards(iam: Any, role: str) -> list[str]:  # noqa: ANN401 - boto3 client
        documents = [
            iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
            for name in iam.list_role_policies(RoleName=role)["PolicyNames"]
        ]
        for attached in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]:
            policy = iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]
            version = iam.get_policy_version(
                PolicyArn=attached["PolicyArn"], VersionId=policy["DefaultVersionId"]
            )
            documents.append(version["PolicyVersion"]["Document"])
        found = []
        for document in documents:
            if isinstance(document, str):
                document = policy_document(document)
            for statement in document["Statement"]:
                actions = statement.get("Action", [])
                for action in [actions] if isinstance(actions, str) else actions:
                    if "*" in action:
                        found.append(action)
        return found

    def settings_push(self, functions: dict[str, str]) -> dict[str, str]:
        auth = self.outputs["jam-cc-auth"]
        secret = self.client("cognito-idp").describe_user_pool_client(
            UserPoolId=auth["UserPoolId"], ClientId=auth["AppClientId"]
        )["UserPoolClient"]["ClientSecret"]
        values = production_env(
            self.deployment,
            self.outputs,
            client_secret=secret,
            support_phone_number=SUPPORT_NUMBER,
            extra={setting: functions[stage] for stage, setting in LOOKUPS.items()},
        )
        env_file = WORK / "production.env"
        env_file_write(values, env_file)
        # The documented command, as the operator runs it.
        out = self.run(
            [sys.executable, "-m", "deploy", "push-settings", str(env_file)], env=self.aws_env()
        )
        for line in out.strip().splitlines():
            self.say(f"push-settings: {line}")
        return values

    def collectstatic(self, values: dict[str, str]) -> None:
        # Step 6 of docs/deploy.md: from the operator's machine, with the env file.
        env = {**self.aws_env(), "SETTINGS_ENV_FILE": str(WORK / "production.env")}
        env["PYTHONPATH"] = f"{WORK / 'guard'}"
        out = self.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v1"], env=env)
        count = self.client("s3").list_objects_v2(Bucket=values["STATIC_BUCKET"])["KeyCount"]
        check(count > 0, f"collectstatic uploaded nothing:\n{out}")
        self.say(f"collectstatic: {count} files in s3://{values['STATIC_BUCKET']}")

    def packaged(self, stage: str, script: str, events: Any) -> list[Any]:  # noqa: ANN401 - JSON
        """Run ``script`` in the unzipped package as Lambda would: its environment is the
        deployed function's own, plus what the Lambda runtime provides."""
        directory = WORK / "packages" / stage
        if not directory.exists():
            with zipfile.ZipFile(PACKAGES / f"{stage}.zip") as archive:
                archive.extractall(directory)
        config = self.client("lambda").get_function_configuration(FunctionName=f"jamcc-{stage}")
        env = {
            **config.get("Environment", {}).get("Variables", {}),
            **self.aws_env(),
            "AWS_LAMBDA_FUNCTION_NAME": f"jamcc-{stage}",
            "PYTHONPATH": str(directory),
        }
        # -S: only the package is importable, as on Lambda; the guard is imported by hand.
        guarded = f"exec(open({str(WORK / 'guard' / 'sitecustomize.py')!r}).read())\n" + script
        done = subprocess.run(
            [sys.executable, "-S", "-c", guarded],
            input=json.dumps(events),
            cwd=directory,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RehearsalFailed(
                f"{stage} package failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
            )
        answers: list[Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return answers

    def publish_stage(self) -> None:
        answers = self.packaged(
            "publish",
            MANAGE,
            [
                "migrate --noinput",
                "createcachetable",
                "load_content",
                "load_content",
                "check_flows",
                "connect_publish --fresh-instance",
            ],
        )
        migrate, _, first, second, flows, plan = answers
        check("Applying support." in migrate or "No migrations" in migrate, migrate)
        check("Live support: 10 created, 0 kept" in first, first)
        check("Live support: 0 created, 10 kept" in second, second)
        check(flows.strip().endswith("9 flows checked, no problems."), flows)
        check("24 to create, 2 to associate, 0 unchanged." in plan, plan)
        self.say("publish: migrate, load_content (10 queues, then 0 created), check_flows clean")
        print("\n".join("    " + line for line in plan.strip().splitlines()))

    def site_stage(self, values: dict[str, str]) -> None:
        host = self.deployment.domain
        token = values["HEALTHZ_TOKEN"]
        events = [
            site_event("/healthz", host),
            site_event("/healthz", host, headers={"Authorization": f"Bearer {token}"}),
            site_event("/healthz", "jamcc-site.execute-api.example"),
            site_event("/oidc/authenticate/", host),
            site_event("/admin/prompts/prompt/", host),
            site_event(
                "/admin/simulator/",
                host,
                query={"flow": "IntroInbound", "caller": "+12025550123", "inputs": "1"},
            ),
        ]
        # The first four as anyone; the admin pages with a staff member's session.
        healthz, details, other_host, sign_in, prompts, simulator = self.packaged(
            "site", SITE, {"anonymous": events[:4], "staff": events[4:]}
        )
        check(
            healthz["statusCode"] == 200 and json.loads(healthz["body"]) == {"status": "ok"},
            healthz,
        )
        body = json.loads(details["body"])
        check(body["database"] == "ok" and body["connect"]["web_ingress_flow"] == "not set", body)
        # load_content's prompts reached DynamoDB when the publish stage's command committed.
        check(body["dynamodb"]["pending"] == 0, f"changes still waiting for DynamoDB: {body}")
        check(
            other_host["statusCode"] == 400,
            f"a host not in ALLOWED_HOSTS answered {other_host['statusCode']}",
        )
        location = sign_in["headers"].get("Location") or sign_in["multiValueHeaders"]["Location"][0]
        query = parse_qs(urlsplit(location).query)
        client = self.client("cognito-idp").describe_user_pool_client(
            UserPoolId=self.outputs["jam-cc-auth"]["UserPoolId"],
            ClientId=self.outputs["jam-cc-auth"]["AppClientId"],
        )["UserPoolClient"]
        check(
            location.startswith(self.outputs["jam-cc-auth"]["HostedDomain"] + "/oauth2/authorize"),
            location,
        )
        check(
            query["redirect_uri"] == client["CallbackURLs"],
            f"{query['redirect_uri']} != {client['CallbackURLs']}",
        )
        check(prompts["statusCode"] == 200 and "MainMenu" in prompts["body"], prompts["statusCode"])
        check(
            simulator["statusCode"] == 200
            and "Thank you for calling JAM Contact Center" in simulator["body"],
            f"simulator {simulator['statusCode']}: {simulator['body'][:2000]}",
        )
        self.say(
            f"site: /healthz 200 on {host}, 400 on another host; "
            f"sign-in redirect_uri = {client['CallbackURLs'][0]}"
        )
        self.say("site: prompt list and call simulator answer 200 on production settings")

    def access(self, functions: dict[str, str]) -> None:
        cfn = self.client("cloudformation")
        [stack] = [s for s in STACKS if s.after_functions]
        values = self.deployment.parameter_values(functions=functions)
        cfn.create_stack(
            StackName=stack.name,
            TemplateBody=json.dumps(template(stack.template)),
            Parameters=stack_parameters(stack, values),
        )
        [found] = cfn.describe_stacks(StackName=stack.name)["Stacks"]
        check(found["StackStatus"] == "CREATE_COMPLETE", f"{stack.name}: {found['StackStatus']}")
        self.say(f"{stack.name}: created by moto's CloudFormation (Connect may invoke the lookups)")


def policy_document(text: str) -> dict[str, Any]:
    """IAM answers documents URL-encoded JSON; moto's CloudFormation stores some as the
    template's Python dict written out, which only literal_eval reads."""
    import ast
    from urllib.parse import unquote

    for candidate in (text, unquote(text)):
        try:
            loaded: dict[str, Any] = json.loads(candidate)
            return loaded
        except ValueError:
            continue
    evaluated: dict[str, Any] = ast.literal_eval(text)
    return evaluated


def site_event(
    path: str,
    host: str,
    *,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An API Gateway (REST, v1) proxy event, as the site's API sends it."""
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": "GET",
        "headers": {"Host": host, "X-Forwarded-Proto": "https", **(headers or {})},
        "multiValueHeaders": {},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/{proxy+}",
            "httpMethod": "GET",
            "path": f"/site{path}",
            "stage": "site",
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "body": None,
        "isBase64Encoded": False,
    }


# Runs inside the unzipped publish package: each management command as `zappa manage` sends
# it to Zappa's handler, with the command's output captured.
MANAGE = """
import contextlib, io, json, sys
from handler import lambda_handler
outputs = []
for command in json.loads(sys.stdin.read()):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        lambda_handler({"manage": command}, None)
    outputs.append(out.getvalue())
print(json.dumps(outputs))
"""

# Runs inside the unzipped site package: API Gateway events through Zappa's handler; the
# "staff" ones carry the session of a staff user made here (sign-in itself is Cognito's).
SITE = """
import json, sys, time
from handler import lambda_handler
events = json.loads(sys.stdin.read())
# The first event starts Django, as a cold start does.
answers = [lambda_handler(event, None) for event in events["anonymous"]]
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
admin = get_user_model().objects.create_superuser("rehearsal", "rehearsal@example.com", None)
client = Client()
client.force_login(admin)
session = client.session
session["oidc_id_token_expiration"] = time.time() + 3600  # as after a Cognito sign-in
session.save()
cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
for event in events["staff"]:
    event["headers"]["Cookie"] = cookie
    answers.append(lambda_handler(event, None))
print(json.dumps(answers))
"""


def main() -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        print("run under scripts/with-postgres: it needs a throwaway PostgreSQL", file=sys.stderr)
        return 2
    rehearsal = Rehearsal(database_url)
    try:
        with rehearsal.step("packages: every shared object against Lambda's glibc"):
            rehearsal.prepare()
            rehearsal.glibc_scan()
        with (WORK / "moto.log").open("w") as log, moto_server(log) as endpoint:
            rehearsal.endpoint = endpoint
            loopback.install()
            rehearsal.say(f"moto's server at {endpoint}; connections off 127.0.0.1 are refused")
            with rehearsal.step("stacks, in the documented order"):
                rehearsal.stacks()
            with rehearsal.step("zappa deploy, every stage"):
                stages = rehearsal.zappa_deploy()
            with rehearsal.step("settings: production.env from the stacks, pushed to SSM"):
                functions = {
                    name: f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:jamcc-{name}"
                    for name in STAGES
                }
                values = rehearsal.settings_push(functions)
            with rehearsal.step(
                "functions: handler, runtime, memory, timeout, VPC, environment, role"
            ):
                rehearsal.functions_check(
                    stages, {k: values[k] for k in SECRET_NAMES if k in values}
                )
            with rehearsal.step("access: Connect may invoke the lookups"):
                rehearsal.access(functions)
            with rehearsal.step("static files to S3 (collectstatic with the env file)"):
                rehearsal.collectstatic(values)
            with rehearsal.step("publish stage on production settings: migrate, content, plan"):
                rehearsal.publish_stage()
            with rehearsal.step("site stage on production settings"):
                rehearsal.site_stage(values)
    except RehearsalFailed as exc:
        print(f"\nREHEARSAL FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"\nRehearsal passed in {time.monotonic() - rehearsal.started:.0f}s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""compose.yaml's shared-store deployment keeps the settings the README promises: Redis persists
and never evicts, every replica shares its database and seed, nginx balances over all replicas."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_two_replicas_on_one_redis_behind_nginx():
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    redis = " ".join(services["redis"]["command"])
    assert "--appendonly yes" in redis and "--maxmemory-policy noeviction" in redis
    replicas = [name for name, service in services.items() if service.get("command", [None])[0] == "serve"]
    assert replicas == ["sandbox-1", "sandbox-2"]
    for name in replicas:
        service = services[name]
        assert service["command"] == ["serve", "--workers", "2"]
        assert service["environment"]["SANDBOX_STORE_URL"] == "redis://redis:6379/0"
        assert service["environment"]["SANDBOX_SEED"] == "0"
    assert services["lb"]["image"].startswith("nginx:")
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    upstream = re.search(r"upstream sandbox \{(.*?)\}", conf, re.S).group(1)
    assert re.findall(r"server (\S+):8080", upstream) == replicas

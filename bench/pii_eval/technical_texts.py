'''PII-free technical texts written for the evaluation set (source "written").

Chatbot-style answers and pastes: code in many languages, shell sessions, configs, stack
traces, install steps naming tools and products, variables named token/secret/password/api_key
that hold expressions, calls, environment lookups or obvious placeholders (not secrets),
sentences starting with capitalized verbs, Markdown tables. No personal data: no person names,
e-mail addresses only at example.com/example.org, IP addresses only loopback or private.
'''

F = "```"  # fence, so the texts below stay readable

TEXTS = [
    ("py-retry", f"""Here's a small retry decorator with exponential backoff:

{F}python
import functools
import random
import time


def retry(times=3, base_delay=0.5, exceptions=(ConnectionError, TimeoutError)):
    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for attempt in range(times):
                try:
                    return fn(*args, **kwargs)
                except exceptions:
                    if attempt == times - 1:
                        raise
                    time.sleep(base_delay * 2 ** attempt + random.random() / 10)
        return wrapper
    return decorator
{F}

Apply it with `@retry(times=5)` on any function that talks to the network."""),
    ("py-env-token", f"""Never hard-code credentials. Read them from the environment instead:

{F}python
import os

api_key = os.environ["OPENAI_API_KEY"]
token = os.getenv("GITHUB_TOKEN", "")
password = os.environ.get("DB_PASSWORD")
if not password:
    raise SystemExit("DB_PASSWORD is not set")
{F}

Put the values in a `.env` file that is listed in `.gitignore`, and load it with `python-dotenv` during development."""),
    ("py-placeholder-secret", f"""In your `settings.py`, keep placeholders in the template and the real values outside the repository:

{F}python
SECRET_KEY = "<your-secret-key>"
API_KEY = "YOUR_API_KEY_HERE"
STRIPE_SECRET = "sk_test_xxxxxxxxxxxxxxxxxxxx"
DATABASE_URL = "postgresql://user:password@localhost:5432/app"
{F}

Replace each placeholder when you deploy, for example through your CI secrets."""),
    ("py-token-call", f"""The token is created by the library, you don't have to build it yourself:

{F}python
from itsdangerous import URLSafeTimedSerializer

serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"])
token = serializer.dumps({{"user_id": user.id}})
secret = secrets.token_urlsafe(32)
password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
{F}

`token` and `secret` here are computed at run time, so nothing sensitive ends up in the code."""),
    ("py-dataclass", f"""Use a frozen dataclass for configuration:

{F}python
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Config:
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 4
    allowed_origins: tuple[str, ...] = field(default=("http://localhost:3000",))

    def __post_init__(self):
        if not 0 < self.port < 65536:
            raise ValueError(f"port out of range: {{self.port}}")
{F}

Because it is frozen, `cfg.port = 9000` raises `FrozenInstanceError`."""),
    ("py-asyncio", f"""To download many pages concurrently, use `asyncio.gather` with a semaphore:

{F}python
import asyncio
import aiohttp

URLS = [f"https://example.com/page/{{i}}" for i in range(50)]


async def fetch(session, sem, url):
    async with sem:
        async with session.get(url, timeout=aiohttp.ClientTimeout(total=10)) as resp:
            return url, resp.status


async def main():
    sem = asyncio.Semaphore(8)
    async with aiohttp.ClientSession() as session:
        results = await asyncio.gather(*(fetch(session, sem, u) for u in URLS))
    for url, status in results:
        print(status, url)


asyncio.run(main())
{F}"""),
    ("py-traceback", """I get this error when I run my script:

Traceback (most recent call last):
  File "/home/user/project/app/main.py", line 42, in <module>
    main()
  File "/home/user/project/app/main.py", line 37, in main
    data = load_config(args.config)
  File "/home/user/project/app/config.py", line 12, in load_config
    with open(path) as f:
FileNotFoundError: [Errno 2] No such file or directory: 'config/settings.yaml'

The path is relative to the working directory, not to the script. Run it from the project root or build the path with `Path(__file__).parent / "settings.yaml"`."""),
    ("py-keyerror-trace", """Traceback (most recent call last):
  File "/usr/lib/python3.11/site-packages/flask/app.py", line 1473, in wsgi_app
    response = self.full_dispatch_request()
  File "/usr/lib/python3.11/site-packages/flask/app.py", line 882, in full_dispatch_request
    rv = self.handle_user_exception(e)
  File "/srv/api/routes.py", line 58, in create_order
    quantity = request.json["quantity"]
KeyError: 'quantity'

This means the JSON body did not contain a `quantity` field. Use `request.json.get("quantity", 1)` or validate the payload first."""),
    ("py-pandas-groupby", f"""Group by month and sum the sales:

{F}python
import pandas as pd

df = pd.read_csv("sales.csv", parse_dates=["date"])
monthly = (
    df.set_index("date")
      .groupby(pd.Grouper(freq="MS"))["amount"]
      .sum()
      .rename("total")
)
print(monthly.head())
{F}

`MS` means month start; use `ME` for month end labels."""),
    ("py-sqlalchemy", f"""With SQLAlchemy 2.0 the typed mapping looks like this:

{F}python
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Author(Base):
    __tablename__ = "author"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    books: Mapped[list["Book"]] = relationship(back_populates="author")


class Book(Base):
    __tablename__ = "book"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    author_id: Mapped[int] = mapped_column(ForeignKey("author.id"))
    author: Mapped[Author] = relationship(back_populates="books")
{F}"""),
    ("py-argparse", f"""{F}python
import argparse

parser = argparse.ArgumentParser(description="Resize images in a folder.")
parser.add_argument("src", help="input folder")
parser.add_argument("--width", type=int, default=1024)
parser.add_argument("--quality", type=int, choices=range(1, 101), metavar="[1-100]", default=85)
parser.add_argument("--dry-run", action="store_true")
args = parser.parse_args()
{F}

Call it as `python resize.py photos --width 800 --dry-run`."""),
    ("py-pytest-fixture", f"""Create the fixture once per module and clean up after it:

{F}python
import pytest


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "test.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")
    yield conn
    conn.close()


def test_insert(db):
    db.execute("INSERT INTO items (name) VALUES (?)", ("widget",))
    assert db.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 1
{F}"""),
    ("js-fetch-token", f"""Pass the token in the `Authorization` header:

{F}javascript
const token = process.env.API_TOKEN;
const apiKey = import.meta.env.VITE_API_KEY;

async function getProjects() {{
  const res = await fetch("https://api.example.com/v1/projects", {{
    headers: {{ Authorization: `Bearer ${{token}}`, "X-Api-Key": apiKey }},
  }});
  if (!res.ok) throw new Error(`HTTP ${{res.status}}`);
  return res.json();
}}
{F}

In the browser, anything in `import.meta.env` is public, so only put keys there that are meant to be public."""),
    ("js-debounce", f"""{F}javascript
function debounce(fn, wait = 300) {{
  let timer;
  return (...args) => {{
    clearTimeout(timer);
    timer = setTimeout(() => fn.apply(this, args), wait);
  }};
}}

const input = document.querySelector("#search");
input.addEventListener("input", debounce((e) => search(e.target.value), 250));
{F}

Every keystroke resets the timer, so `search` only runs 250 ms after the user stops typing."""),
    ("ts-interface", f"""Define the shape once and let TypeScript check the rest:

{F}typescript
interface User {{
  id: number;
  email: string;
  roles: ReadonlyArray<"admin" | "editor" | "viewer">;
  lastLogin?: Date;
}}

function isAdmin(user: User): boolean {{
  return user.roles.includes("admin");
}}

const sample: User = {{ id: 1, email: "user@example.com", roles: ["viewer"] }};
console.log(isAdmin(sample)); // false
{F}"""),
    ("ts-react-hook", f"""A custom hook for local storage:

{F}tsx
import {{ useEffect, useState }} from "react";

export function useLocalStorage<T>(key: string, initial: T) {{
  const [value, setValue] = useState<T>(() => {{
    const raw = window.localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : initial;
  }});

  useEffect(() => {{
    window.localStorage.setItem(key, JSON.stringify(value));
  }}, [key, value]);

  return [value, setValue] as const;
}}
{F}

Use it like `const [theme, setTheme] = useLocalStorage("theme", "dark");`."""),
    ("js-express", f"""{F}javascript
const express = require("express");
const app = express();
const PORT = process.env.PORT || 3000;
const SESSION_SECRET = process.env.SESSION_SECRET ?? "change-me";

app.use(express.json());

app.get("/health", (req, res) => res.json({{ status: "ok", uptime: process.uptime() }}));

app.post("/items", (req, res) => {{
  const {{ name, price }} = req.body;
  if (!name || price == null) return res.status(400).json({{ error: "name and price required" }});
  res.status(201).json({{ id: Date.now(), name, price }});
}});

app.listen(PORT, "0.0.0.0", () => console.log(`listening on ${{PORT}}`));
{F}"""),
    ("js-error-trace", """Uncaught TypeError: Cannot read properties of undefined (reading 'map')
    at ProductList (ProductList.jsx:14:23)
    at renderWithHooks (react-dom.development.js:16305:18)
    at mountIndeterminateComponent (react-dom.development.js:20074:13)
    at beginWork (react-dom.development.js:21587:16)

`products` is undefined on the first render because the data is still loading. Initialise the state with an empty array: `const [products, setProducts] = useState([]);`."""),
    ("java-stream", f"""Group the orders by status with streams:

{F}java
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

public class OrderStats {{
    record Order(long id, String status, double total) {{}}

    public static Map<String, Double> totalsByStatus(List<Order> orders) {{
        return orders.stream()
                .collect(Collectors.groupingBy(Order::status,
                        Collectors.summingDouble(Order::total)));
    }}

    public static void main(String[] args) {{
        var orders = List.of(new Order(1, "PAID", 19.99), new Order(2, "OPEN", 5.0),
                             new Order(3, "PAID", 7.5));
        System.out.println(totalsByStatus(orders));
    }}
}}
{F}"""),
    ("java-npe-trace", """Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()" because "line" is null
	at com.acme.parser.CsvReader.parseLine(CsvReader.java:48)
	at com.acme.parser.CsvReader.readAll(CsvReader.java:31)
	at com.acme.Main.main(Main.java:12)

`readLine()` returns null at the end of the file. Check for it in the loop condition: `while ((line = reader.readLine()) != null)`."""),
    ("java-spring-props", f"""Keep the credentials out of `application.yml` and reference environment variables:

{F}yaml
spring:
  datasource:
    url: jdbc:postgresql://localhost:5432/inventory
    username: ${{DB_USER:app}}
    password: ${{DB_PASSWORD}}
  jpa:
    hibernate:
      ddl-auto: validate
server:
  port: 8081
jwt:
  secret: ${{JWT_SECRET}}
  expiration-minutes: 30
{F}

Spring resolves `${{DB_PASSWORD}}` at startup, and the `:app` part is a default."""),
    ("java-junit", f"""{F}java
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class PriceCalculatorTest {{
    private final PriceCalculator calc = new PriceCalculator(0.2);

    @Test
    void addsVat() {{
        assertEquals(120.0, calc.gross(100.0), 1e-9);
    }}

    @Test
    void rejectsNegativePrices() {{
        assertThrows(IllegalArgumentException.class, () -> calc.gross(-1));
    }}
}}
{F}"""),
    ("go-http", f"""A minimal HTTP server in Go with graceful shutdown:

{F}go
package main

import (
	"context"
	"log"
	"net/http"
	"os"
	"os/signal"
	"time"
)

func main() {{
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {{
		w.WriteHeader(http.StatusOK)
		w.Write([]byte("ok"))
	}})
	srv := &http.Server{{Addr: ":8080", Handler: mux}}

	go func() {{
		if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {{
			log.Fatal(err)
		}}
	}}()

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	<-stop
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(ctx)
}}
{F}"""),
    ("go-env", f"""{F}go
token := os.Getenv("SLACK_BOT_TOKEN")
if token == "" {{
	log.Fatal("SLACK_BOT_TOKEN must be set")
}}
apiKey, ok := os.LookupEnv("WEATHER_API_KEY")
if !ok {{
	apiKey = "demo"
}}
client := weather.NewClient(apiKey, weather.WithTimeout(3*time.Second))
{F}

`LookupEnv` tells you whether the variable exists at all, which `Getenv` cannot."""),
    ("go-goroutine-panic", """panic: runtime error: index out of range [5] with length 5

goroutine 1 [running]:
main.process(...)
	/app/cmd/worker/main.go:27
main.main()
	/app/cmd/worker/main.go:14 +0x1d
exit status 2

The loop uses `i <= len(items)`; it must be `i < len(items)`, or simply `for _, item := range items`."""),
    ("go-struct-json", f"""Struct tags control the JSON field names:

{F}go
type Config struct {{
	Listen   string        `json:"listen"`
	Timeout  time.Duration `json:"timeout"`
	LogLevel string        `json:"log_level,omitempty"`
	Password string        `json:"-"` // never serialized
}}
{F}

The `-` tag keeps `Password` out of any JSON you write, for example in logs."""),
    ("rust-result", f"""Use `?` to propagate errors and `thiserror` to define them:

{F}rust
use std::fs;
use thiserror::Error;

#[derive(Debug, Error)]
enum ConfigError {{
    #[error("cannot read config: {{0}}")]
    Io(#[from] std::io::Error),
    #[error("invalid config: {{0}}")]
    Parse(#[from] toml::de::Error),
}}

#[derive(serde::Deserialize)]
struct Config {{
    port: u16,
    workers: usize,
}}

fn load(path: &str) -> Result<Config, ConfigError> {{
    let text = fs::read_to_string(path)?;
    Ok(toml::from_str(&text)?)
}}
{F}"""),
    ("rust-borrow-error", f"""The compiler message explains it:

{F}text
error[E0502]: cannot borrow `v` as mutable because it is also borrowed as immutable
 --> src/main.rs:4:5
  |
3 |     let first = &v[0];
  |                  - immutable borrow occurs here
4 |     v.push(6);
  |     ^^^^^^^^^ mutable borrow occurs here
5 |     println!("{{}}", first);
  |                    ----- immutable borrow later used here
{F}

Copy the value out first (`let first = v[0];`) or finish using `first` before you push."""),
    ("rust-iter", f"""{F}rust
fn word_counts(text: &str) -> std::collections::HashMap<String, usize> {{
    let mut counts = std::collections::HashMap::new();
    for word in text.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric())) {{
        if !word.is_empty() {{
            *counts.entry(word.to_lowercase()).or_insert(0) += 1;
        }}
    }}
    counts
}}
{F}

Sort the result with `let mut v: Vec<_> = counts.into_iter().collect(); v.sort_by(|a, b| b.1.cmp(&a.1));`."""),
    ("rust-cargo", f"""Add the dependencies to `Cargo.toml`:

{F}toml
[package]
name = "ingest"
version = "0.3.1"
edition = "2021"

[dependencies]
tokio = {{ version = "1.38", features = ["full"] }}
reqwest = {{ version = "0.12", default-features = false, features = ["json", "rustls-tls"] }}
serde = {{ version = "1", features = ["derive"] }}
anyhow = "1"
{F}

Then run `cargo build --release`."""),
    ("sql-window", f"""Use a window function to get the latest row per customer:

{F}sql
SELECT *
FROM (
    SELECT o.*,
           ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY created_at DESC) AS rn
    FROM orders o
    WHERE created_at >= DATE '2024-01-01'
) t
WHERE rn = 1;
{F}

On PostgreSQL you can also write `SELECT DISTINCT ON (customer_id) ... ORDER BY customer_id, created_at DESC`."""),
    ("sql-create", f"""{F}sql
CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    api_token     UUID NOT NULL DEFAULT gen_random_uuid(),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX idx_users_created_at ON users (created_at);
{F}

Store only the hash of the password (bcrypt or argon2), never the password itself."""),
    ("sql-explain", """Run EXPLAIN ANALYZE to see why it is slow:

                                   QUERY PLAN
--------------------------------------------------------------------------------
 Seq Scan on events  (cost=0.00..458213.00 rows=120 width=64) (actual time=0.041..2381.502 rows=118 loops=1)
   Filter: ((user_id = 42) AND (kind = 'click'::text))
   Rows Removed by Filter: 18999882
 Planning Time: 0.102 ms
 Execution Time: 2381.560 ms

The sequential scan reads 19 million rows. Create a composite index: `CREATE INDEX ON events (user_id, kind);`."""),
    ("sql-upsert", f"""{F}sql
INSERT INTO page_views (page_id, day, views)
VALUES (17, CURRENT_DATE, 1)
ON CONFLICT (page_id, day)
DO UPDATE SET views = page_views.views + EXCLUDED.views;
{F}

This needs a unique constraint on `(page_id, day)`."""),
    ("sql-mysql-grant", f"""{F}sql
CREATE USER 'report_reader'@'localhost' IDENTIFIED BY 'change_this_password';
GRANT SELECT ON analytics.* TO 'report_reader'@'localhost';
FLUSH PRIVILEGES;
{F}

Pick your own password instead of `change_this_password`, and prefer `'%'` only if the account must log in from other hosts."""),
    ("sh-git-session", """$ git status
On branch feature/search
Your branch is ahead of 'origin/feature/search' by 2 commits.
  (use "git push" to publish your local commits)

Changes not staged for commit:
  modified:   src/search/index.ts

$ git add -p src/search/index.ts
$ git commit -m "search: debounce input"
[feature/search 3f9c2ab] search: debounce input
 1 file changed, 12 insertions(+), 3 deletions(-)
$ git push origin feature/search"""),
    ("sh-docker-ps", """$ docker ps
CONTAINER ID   IMAGE            COMMAND                  CREATED        STATUS        PORTS                    NAMES
a1b2c3d4e5f6   postgres:16      "docker-entrypoint.s…"   2 hours ago    Up 2 hours    0.0.0.0:5432->5432/tcp   db
9f8e7d6c5b4a   redis:7-alpine   "docker-entrypoint.s…"   2 hours ago    Up 2 hours    6379/tcp                 cache
$ docker logs --tail 20 db
$ docker exec -it db psql -U postgres"""),
    ("sh-ssh-keygen", """Create a key and copy it to the server:

$ ssh-keygen -t ed25519 -C "deploy key for staging"
Generating public/private ed25519 key pair.
Enter file in which to save the key (/home/user/.ssh/id_ed25519):
Enter passphrase (empty for no passphrase):
Your identification has been saved in /home/user/.ssh/id_ed25519
Your public key has been saved in /home/user/.ssh/id_ed25519.pub
$ ssh-copy-id -i ~/.ssh/id_ed25519.pub deploy@192.168.1.20

Never share the file without `.pub`: that one is your private key."""),
    ("sh-disk", """$ df -h
Filesystem      Size  Used Avail Use% Mounted on
/dev/nvme0n1p2  468G  441G  3.9G 100% /
tmpfs           7.8G  1.2M  7.8G   1% /run
$ sudo du -xh / --max-depth=1 2>/dev/null | sort -h | tail -5
12G	/usr
19G	/home
27G	/var
$ sudo journalctl --vacuum-size=500M

Most of `/var` is usually Docker images and system logs; `docker system prune -a` frees the former."""),
    ("sh-curl", """Test the endpoint with curl:

curl -sS -X POST http://localhost:8000/api/v1/login \\
  -H "Content-Type: application/json" \\
  -d '{"username": "admin", "password": "admin"}' | jq .

The response contains an `access_token`; pass it on later calls with `-H "Authorization: Bearer $TOKEN"`."""),
    ("sh-find-grep", """To find every TODO in Python files, skipping the virtual environment:

find . -path ./.venv -prune -o -name '*.py' -print0 | xargs -0 grep -n "TODO"

Or with ripgrep, which respects `.gitignore` by default:

rg -n "TODO" --type py"""),
    ("sh-systemd", f"""Create `/etc/systemd/system/myapp.service`:

{F}ini
[Unit]
Description=My web app
After=network.target

[Service]
User=www-data
WorkingDirectory=/opt/myapp
Environment=PORT=8000
EnvironmentFile=/etc/myapp/env
ExecStart=/opt/myapp/.venv/bin/gunicorn -w 4 -b 127.0.0.1:8000 app:app
Restart=on-failure

[Install]
WantedBy=multi-user.target
{F}

Then run `sudo systemctl daemon-reload && sudo systemctl enable --now myapp`."""),
    ("sh-bash-script", f"""{F}bash
#!/usr/bin/env bash
set -euo pipefail

BACKUP_DIR="/var/backups/postgres"
STAMP="$(date +%Y%m%d-%H%M%S)"
: "${{PGPASSWORD:?PGPASSWORD must be set}}"

mkdir -p "$BACKUP_DIR"
pg_dump -h localhost -U postgres -Fc appdb > "$BACKUP_DIR/appdb-$STAMP.dump"
find "$BACKUP_DIR" -name '*.dump' -mtime +14 -delete
echo "backup written to $BACKUP_DIR/appdb-$STAMP.dump"
{F}

Schedule it with `crontab -e` and a line like `0 3 * * * /usr/local/bin/pg-backup.sh`."""),
    ("sh-npm-error", """npm ERR! code ERESOLVE
npm ERR! ERESOLVE unable to resolve dependency tree
npm ERR!
npm ERR! While resolving: web-app@1.4.0
npm ERR! Found: react@18.3.1
npm ERR! node_modules/react
npm ERR!   react@"^18.2.0" from the root project
npm ERR!
npm ERR! Could not resolve dependency:
npm ERR! peer react@"^17.0.0" from legacy-datepicker@2.1.3

The date picker only supports React 17. Upgrade it, or install with `npm install --legacy-peer-deps` as a stopgap."""),
    ("yaml-k8s-deploy", f"""{F}yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    app: api
spec:
  replicas: 3
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.8.2
          ports:
            - containerPort: 8080
          env:
            - name: DATABASE_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: api-secrets
                  key: db-password
          resources:
            requests:
              cpu: 250m
              memory: 256Mi
            limits:
              memory: 512Mi
{F}

Create the secret first with `kubectl create secret generic api-secrets --from-literal=db-password=...`."""),
    ("yaml-gh-actions", f"""{F}yaml
name: CI
on:
  push:
    branches: [main]
  pull_request:

jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python-version: ["3.10", "3.11", "3.12"]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: ${{{{ matrix.python-version }}}}
      - run: pip install -e ".[test]"
      - run: pytest -q
        env:
          API_TOKEN: ${{{{ secrets.API_TOKEN }}}}
{F}"""),
    ("yaml-compose", f"""Here's a `docker-compose.yml` for the app with PostgreSQL and Redis:

{F}yaml
services:
  web:
    build: .
    ports:
      - "8000:8000"
    environment:
      DATABASE_URL: postgres://app:${{POSTGRES_PASSWORD}}@db:5432/app
      REDIS_URL: redis://cache:6379/0
    depends_on:
      - db
      - cache
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD}}
    volumes:
      - pgdata:/var/lib/postgresql/data
  cache:
    image: redis:7-alpine
volumes:
  pgdata:
{F}

Put `POSTGRES_PASSWORD=...` in a `.env` file next to it; Compose reads it automatically."""),
    ("yaml-ansible", f"""{F}yaml
- name: Install and start nginx
  hosts: webservers
  become: true
  tasks:
    - name: Install nginx
      ansible.builtin.apt:
        name: nginx
        state: present
        update_cache: true
    - name: Copy site config
      ansible.builtin.template:
        src: templates/site.conf.j2
        dest: /etc/nginx/sites-available/site.conf
      notify: Reload nginx
  handlers:
    - name: Reload nginx
      ansible.builtin.service:
        name: nginx
        state: reloaded
{F}"""),
    ("dockerfile-python", f"""A small production image for a Python app:

{F}dockerfile
FROM python:3.12-slim AS build
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN pip install --no-cache-dir poetry && poetry export -f requirements.txt -o requirements.txt
RUN pip wheel --no-cache-dir -r requirements.txt -w /wheels

FROM python:3.12-slim
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
COPY src/ ./src/
USER 1000
ENV PYTHONUNBUFFERED=1
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "src.app:app"]
{F}

Pass secrets at run time (`docker run -e API_KEY=...`), never with `ENV` or `ARG` in the Dockerfile."""),
    ("dockerfile-node", f"""{F}dockerfile
FROM node:20-alpine
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
ENV NODE_ENV=production
EXPOSE 3000
HEALTHCHECK CMD wget -qO- http://localhost:3000/health || exit 1
CMD ["node", "server.js"]
{F}"""),
    ("dockerfile-go", f"""Build a static Go binary and ship it in a distroless image:

{F}dockerfile
FROM golang:1.22 AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12
COPY --from=builder /out/server /server
USER nonroot:nonroot
ENTRYPOINT ["/server"]
{F}"""),
    ("csharp-linq", f"""{F}csharp
using System;
using System.Collections.Generic;
using System.Linq;

public record Product(string Sku, string Category, decimal Price);

public static class Report
{{
    public static void Main()
    {{
        var products = new List<Product>
        {{
            new("A-100", "Tools", 19.90m),
            new("A-200", "Tools", 5.50m),
            new("B-300", "Garden", 42.00m),
        }};

        var byCategory = products
            .GroupBy(p => p.Category)
            .Select(g => new {{ Category = g.Key, Count = g.Count(), Avg = g.Average(p => p.Price) }});

        foreach (var row in byCategory)
            Console.WriteLine($"{{row.Category}}: {{row.Count}} items, avg {{row.Avg:C}}");
    }}
}}
{F}"""),
    ("csharp-config", f"""In ASP.NET Core, read the key from configuration, not from code:

{F}csharp
var builder = WebApplication.CreateBuilder(args);
var apiKey = builder.Configuration["Payments:ApiKey"]
             ?? throw new InvalidOperationException("Payments:ApiKey is missing");
var connectionString = builder.Configuration.GetConnectionString("Default");

builder.Services.AddDbContext<AppDbContext>(o => o.UseNpgsql(connectionString));
builder.Services.AddHttpClient("payments", c => c.DefaultRequestHeaders.Add("X-Api-Key", apiKey));
{F}

During development keep the value in user secrets: `dotnet user-secrets set "Payments:ApiKey" "<value>"`."""),
    ("csharp-exception", """Unhandled exception. System.InvalidOperationException: Sequence contains no elements
   at System.Linq.ThrowHelper.ThrowNoElementsException()
   at System.Linq.Enumerable.First[TSource](IEnumerable`1 source)
   at Inventory.Services.StockService.GetOldest() in C:\\src\\Inventory\\Services\\StockService.cs:line 37
   at Inventory.Program.Main(String[] args) in C:\\src\\Inventory\\Program.cs:line 15

`First()` throws on an empty list. Use `FirstOrDefault()` and handle `null`."""),
    ("csharp-async", f"""{F}csharp
public async Task<IReadOnlyList<string>> DownloadAllAsync(IEnumerable<Uri> uris, CancellationToken ct)
{{
    using var http = new HttpClient {{ Timeout = TimeSpan.FromSeconds(10) }};
    var tasks = uris.Select(u => http.GetStringAsync(u, ct));
    return await Task.WhenAll(tasks);
}}
{F}

`Task.WhenAll` runs the downloads concurrently and fails if any of them fails."""),
    ("config-nginx", f"""{F}nginx
server {{
    listen 80;
    server_name example.com www.example.com;
    return 301 https://$host$request_uri;
}}

server {{
    listen 443 ssl http2;
    server_name example.com;

    ssl_certificate     /etc/letsencrypt/live/example.com/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/example.com/privkey.pem;

    location / {{
        proxy_pass http://127.0.0.1:8000;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
    }}
}}
{F}

Check the syntax with `sudo nginx -t` before `sudo systemctl reload nginx`."""),
    ("config-env-example", f"""Commit a `.env.example` with placeholders only:

{F}bash
# copy to .env and fill in
APP_ENV=development
APP_PORT=8080
DATABASE_URL=postgres://postgres:postgres@localhost:5432/dev
REDIS_URL=redis://localhost:6379/0
SECRET_KEY=replace-me
OPENAI_API_KEY=your-api-key
SMTP_PASSWORD=
{F}"""),
    ("config-pyproject", f"""{F}toml
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "weather-cli"
version = "0.2.0"
requires-python = ">=3.10"
dependencies = ["httpx>=0.27", "typer>=0.12", "rich>=13"]

[project.scripts]
weather = "weather_cli.main:app"

[tool.ruff]
line-length = 100
select = ["E", "F", "I", "UP"]
{F}

After `pip install -e .` the `weather` command is on your PATH."""),
    ("config-ssh", f"""Add an entry to `~/.ssh/config` so you can just type `ssh staging`:

{F}text
Host staging
    HostName 10.0.4.12
    User ubuntu
    IdentityFile ~/.ssh/id_ed25519
    ProxyJump bastion

Host bastion
    HostName bastion.example.com
    User ubuntu
{F}"""),
    ("config-vimrc", f"""A minimal `~/.vimrc` to start with:

{F}vim
set number relativenumber
set tabstop=4 shiftwidth=4 expandtab
set incsearch hlsearch ignorecase smartcase
set clipboard=unnamedplus
syntax on
filetype plugin indent on
nnoremap <leader>w :w<CR>
{F}

Open Vim, type `:source ~/.vimrc`, and the settings apply without restarting."""),
    ("install-docker-ubuntu", f"""Install Docker Engine on Ubuntu 24.04:

{F}bash
sudo apt-get update
sudo apt-get install -y ca-certificates curl
sudo install -m 0755 -d /etc/apt/keyrings
sudo curl -fsSL https://download.docker.com/linux/ubuntu/gpg -o /etc/apt/keyrings/docker.asc
echo "deb [arch=$(dpkg --print-architecture) signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu $(. /etc/os-release && echo $VERSION_CODENAME) stable" | sudo tee /etc/apt/sources.list.d/docker.list
sudo apt-get update
sudo apt-get install -y docker-ce docker-ce-cli containerd.io docker-compose-plugin
sudo usermod -aG docker $USER
{F}

Log out and back in, then check with `docker run hello-world`."""),
    ("install-homebrew", """On macOS, install Homebrew first, then the tools:

1. Open Terminal and run the install script from brew.sh.
2. Follow the "Next steps" it prints to add Homebrew to your PATH.
3. Install what you need: `brew install git python@3.12 node postgresql@16 wget`.
4. Start PostgreSQL as a service: `brew services start postgresql@16`.
5. Check everything with `brew doctor`.

Homebrew installs into /opt/homebrew on Apple Silicon and /usr/local on Intel Macs."""),
    ("install-postgres", """Install PostgreSQL on Debian or Ubuntu and create a database:

sudo apt install postgresql postgresql-contrib
sudo systemctl enable --now postgresql
sudo -u postgres createuser --pwprompt appuser
sudo -u postgres createdb -O appuser appdb
psql -h localhost -U appuser appdb

If you get "Peer authentication failed", connect through `-h localhost` as above, or change the method to `scram-sha-256` in pg_hba.conf."""),
    ("install-kubectl-minikube", """Set up a local Kubernetes cluster with minikube:

1. Install kubectl: `brew install kubectl` on macOS, or `sudo snap install kubectl --classic` on Ubuntu.
2. Install minikube: `brew install minikube` or download the .deb from the minikube releases page.
3. Start the cluster: `minikube start --driver=docker --cpus=4 --memory=8g`.
4. Verify: `kubectl get nodes` should show one node in the Ready state.
5. Open the dashboard with `minikube dashboard`.

Minikube needs Docker, Podman or a hypervisor such as VirtualBox or Hyper-V."""),
    ("install-vim-packages", """Vim 8 and later load plugins from `pack` folders, no plugin manager needed:

mkdir -p ~/.vim/pack/vendor/start
git clone --depth 1 https://github.com/preservim/nerdtree.git ~/.vim/pack/vendor/start/nerdtree
vim -u NONE -c "helptags ~/.vim/pack/vendor/start/nerdtree/doc" -c q

Restart Vim and open the tree with `:NERDTree`. Neovim reads the same layout from `~/.local/share/nvim/site/pack/`."""),
    ("install-wsl", """Enable WSL on Windows 11:

1. Open PowerShell as Administrator.
2. Run `wsl --install -d Ubuntu-24.04`.
3. Reboot when asked, then open Ubuntu from the Start menu and create your Linux user.
4. Update packages: `sudo apt update && sudo apt upgrade`.
5. In Visual Studio Code, install the WSL extension and run `code .` from the Ubuntu shell.

Docker Desktop can then use the WSL 2 backend (Settings > General)."""),
    ("install-node-nvm", """Use nvm so each project can pick its Node.js version:

curl -o- https://raw.githubusercontent.com/nvm-sh/nvm/v0.39.7/install.sh | bash
source ~/.bashrc
nvm install 20
nvm use 20
node --version   # v20.x
npm install -g pnpm

Add a `.nvmrc` file containing `20` to the project, and `nvm use` will pick it up."""),
    ("prose-cap-verbs", """Restart the service after changing the config. Check the logs with `journalctl -u myapp -f`. Verify that the port is open with `ss -tlnp`. Remove the old containers once the new ones are healthy. Update the DNS record last, so that traffic only moves when everything works."""),
    ("prose-steps-git", """Fork the repository on GitHub. Clone your fork and create a branch named after the issue. Write a failing test first. Implement the fix until the test passes. Run the linters with `pre-commit run --all-files`. Push the branch and open a pull request against `main`. Mention the issue number in the description so it closes automatically."""),
    ("prose-cap-imperatives", """Open Settings > Privacy & Security. Scroll down to Developer Tools. Allow Terminal to run software locally. Quit and reopen Terminal. Run the command again.

If the prompt still appears, Reset the permissions with `tccutil reset All` and Repeat the steps above."""),
    ("prose-caching", """Caching works best for data that is read far more often than it is written. Put Redis in front of the database for hot keys, set a TTL on every entry, and make the cache key include everything the result depends on, such as the query parameters and the schema version. Invalidate on write for data that must never be stale; for dashboards, a TTL of a few minutes is usually fine. Watch the hit rate in Grafana: below 80%, the cache is probably keyed too finely."""),
    ("prose-rest-vs-grpc", """REST over HTTP/1.1 with JSON is the easiest to debug: you can call it with curl, read it in the browser's dev tools and cache it with a CDN. gRPC uses HTTP/2 and Protocol Buffers, so messages are smaller and typed, and streaming in both directions is built in; the price is tooling: you need generated clients, and browsers need grpc-web or a proxy such as Envoy. For public APIs, prefer REST or GraphQL. For traffic between your own services, gRPC is often the better choice."""),
    ("prose-big-o", """Sorting with quicksort takes O(n log n) time on average and O(n²) in the worst case, which is why most standard libraries use introsort or Timsort instead. Python's `sorted()` uses Timsort (now Powersort in 3.11+), which is stable and runs in O(n) on data that is already sorted. Binary search needs sorted input and takes O(log n). A hash map lookup is O(1) on average but O(n) if many keys collide."""),
    ("prose-kafka", """Kafka keeps messages in partitions, and ordering is only guaranteed within one partition. Choose the message key so that events that must stay in order (for example, all events for one order) land in the same partition. Consumers in the same group share the partitions, so you can never have more active consumers than partitions. Set `enable.idempotence=true` on the producer to avoid duplicates after retries, and commit offsets only after processing."""),
    ("prose-llm-tokens", """A token is a chunk of text the model reads: roughly four characters of English, so 1,000 tokens are about 750 words. The context window, such as 128k tokens, covers both your prompt and the answer. The API also returns `usage.prompt_tokens` and `usage.completion_tokens`, which is what you are billed for. To count tokens before sending a request, use the tokenizer library that matches the model, for example tiktoken for OpenAI models."""),
    ("table-http", """| Status | Meaning | When to use |
|---|---|---|
| 200 OK | Success | GET that returns data |
| 201 Created | Resource created | POST that creates something |
| 204 No Content | Success, empty body | DELETE |
| 400 Bad Request | Invalid input | Validation errors |
| 401 Unauthorized | Missing or bad token | No valid credentials |
| 403 Forbidden | Authenticated but not allowed | Wrong role |
| 404 Not Found | No such resource | Unknown id |
| 429 Too Many Requests | Rate limit hit | Include Retry-After |"""),
    ("table-db-compare", """Here's a quick comparison:

| Feature | PostgreSQL | MySQL | SQLite |
|---|---|---|---|
| JSON support | `jsonb` with indexes | `JSON` type | JSON1 functions |
| Full-text search | Built in | Built in (InnoDB) | FTS5 extension |
| Concurrency | MVCC, many writers | MVCC (InnoDB) | One writer at a time |
| Best for | Complex queries, analytics | Web apps, read-heavy | Embedded, local apps |
| License | PostgreSQL License | GPL / commercial | Public domain |"""),
    ("table-git-commands", """| Command | What it does |
|---|---|
| `git switch -c feature` | Create and switch to a branch |
| `git restore file.txt` | Discard local changes to a file |
| `git stash push -m "wip"` | Save uncommitted work |
| `git rebase -i HEAD~3` | Edit the last three commits |
| `git reflog` | Find commits you thought were lost |
| `git bisect start` | Binary-search for the commit that broke something |"""),
    ("table-k8s-objects", """Kubernetes objects you'll meet first:

| Object | Purpose | Example |
|---|---|---|
| Pod | One or more containers scheduled together | a web server and a log sidecar |
| Deployment | Keeps N replicas of a Pod running | `replicas: 3` |
| Service | Stable virtual IP and DNS name | `api.default.svc.cluster.local` |
| Ingress | HTTP routing from outside the cluster | `/api` -> api service |
| ConfigMap | Non-secret configuration | feature flags |
| Secret | Credentials, base64-encoded | database password |"""),
    ("table-complexity", """| Structure | Access | Search | Insert | Delete |
|---|---|---|---|---|
| Array | O(1) | O(n) | O(n) | O(n) |
| Linked list | O(n) | O(n) | O(1) | O(1) |
| Hash table | n/a | O(1) | O(1) | O(1) |
| Binary search tree (balanced) | O(log n) | O(log n) | O(log n) | O(log n) |
| Heap | O(1) for min | O(n) | O(log n) | O(log n) |"""),
    ("kotlin-coroutine", f"""{F}kotlin
import kotlinx.coroutines.*

suspend fun fetchPrice(symbol: String): Double {{
    delay(200)
    return symbol.length * 10.0
}}

fun main() = runBlocking {{
    val symbols = listOf("AAPL", "MSFT", "NVDA")
    val prices = symbols.map {{ async {{ fetchPrice(it) }} }}.awaitAll()
    symbols.zip(prices).forEach {{ (s, p) -> println("$s: $p") }}
}}
{F}

`async` starts all three requests at once, so the total time is about 200 ms, not 600 ms."""),
    ("php-pdo", f"""Use prepared statements with PDO:

{F}php
<?php
$dsn = 'mysql:host=127.0.0.1;dbname=shop;charset=utf8mb4';
$pdo = new PDO($dsn, getenv('DB_USER'), getenv('DB_PASSWORD'), [
    PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
]);

$stmt = $pdo->prepare('SELECT id, name, price FROM products WHERE category = :cat LIMIT 20');
$stmt->execute(['cat' => $_GET['category'] ?? 'books']);
foreach ($stmt as $row) {{
    echo htmlspecialchars($row['name']), ': ', $row['price'], PHP_EOL;
}}
{F}"""),
    ("ruby-rails", f"""{F}ruby
class ArticlesController < ApplicationController
  before_action :authenticate_user!
  before_action :set_article, only: %i[show update destroy]

  def index
    @articles = Article.published.order(created_at: :desc).page(params[:page])
  end

  def update
    if @article.update(article_params)
      redirect_to @article, notice: "Article updated."
    else
      render :edit, status: :unprocessable_entity
    end
  end

  private

  def set_article
    @article = Article.find(params[:id])
  end

  def article_params
    params.require(:article).permit(:title, :body, :published)
  end
end
{F}"""),
    ("c-segfault", f"""The crash comes from writing past the end of the buffer:

{F}c
#include <stdio.h>
#include <string.h>

int main(void) {{
    char name[8];
    strcpy(name, "configuration");   /* 14 bytes into an 8-byte buffer */
    printf("%s\\n", name);
    return 0;
}}
{F}

Compile with `gcc -fsanitize=address -g main.c` and AddressSanitizer reports `stack-buffer-overflow` on the `strcpy` line. Use `snprintf(name, sizeof name, "%s", src)` instead."""),
    ("cpp-raii", f"""{F}cpp
#include <fstream>
#include <iostream>
#include <memory>
#include <vector>

struct Matrix {{
    size_t rows, cols;
    std::vector<double> data;
    Matrix(size_t r, size_t c) : rows(r), cols(c), data(r * c, 0.0) {{}}
    double& operator()(size_t i, size_t j) {{ return data[i * cols + j]; }}
}};

int main() {{
    auto m = std::make_unique<Matrix>(3, 3);
    for (size_t i = 0; i < 3; ++i) (*m)(i, i) = 1.0;
    std::ofstream out("identity.txt");
    for (double v : m->data) out << v << ' ';
    std::cout << "written\\n";
}}
{F}

No `delete` needed: the `unique_ptr` and the `ofstream` release their resources when they go out of scope."""),
    ("swift-codable", f"""{F}swift
struct Repo: Codable {{
    let id: Int
    let fullName: String
    let stargazersCount: Int

    enum CodingKeys: String, CodingKey {{
        case id
        case fullName = "full_name"
        case stargazersCount = "stargazers_count"
    }}
}}

let url = URL(string: "https://api.example.com/repos/demo")!
let (data, _) = try await URLSession.shared.data(from: url)
let repo = try JSONDecoder().decode(Repo.self, from: data)
print(repo.fullName, repo.stargazersCount)
{F}"""),
    ("r-dplyr", f"""{F}r
library(dplyr)

mtcars %>%
  group_by(cyl) %>%
  summarise(
    n = n(),
    mpg_mean = mean(mpg),
    hp_max = max(hp)
  ) %>%
  arrange(desc(mpg_mean))
{F}

`%>%` passes the result of each step to the next; in R 4.1+ you can use the native `|>` instead."""),
    ("terraform", f"""{F}hcl
variable "db_password" {{
  type      = string
  sensitive = true
}}

resource "aws_db_instance" "main" {{
  identifier          = "app-db"
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  username            = "app"
  password            = var.db_password
  skip_final_snapshot = true
}}
{F}

Pass the value with `TF_VAR_db_password` in the environment; `sensitive = true` keeps it out of the plan output."""),
    ("powershell", f"""{F}powershell
$token = $env:AZURE_DEVOPS_PAT
$headers = @{{ Authorization = "Basic " + [Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes(":$token")) }}
$builds = Invoke-RestMethod -Uri "https://dev.azure.com/contoso/web/_apis/build/builds?api-version=7.1" -Headers $headers
$builds.value | Select-Object id, status, result | Format-Table
{F}

Create the personal access token in Azure DevOps under User settings > Personal access tokens, and set it with `$env:AZURE_DEVOPS_PAT = Read-Host -AsSecureString` in your session."""),
    ("regex-explain", """The pattern `^(?=.*[A-Z])(?=.*\\d)[A-Za-z\\d!@#$%^&*]{12,}$` means:

- `(?=.*[A-Z])`: at least one uppercase letter somewhere,
- `(?=.*\\d)`: at least one digit,
- `[A-Za-z\\d!@#$%^&*]{12,}`: twelve or more of the allowed characters,
- `^` and `$`: the whole string must match.

So `password123` fails (no uppercase, too short) and `CorrectHorse42battery` passes."""),
    ("json-api-response", f"""The API answers with JSON like this:

{F}json
{{
  "id": "ord_7Hq2k",
  "status": "shipped",
  "items": [
    {{"sku": "KB-87", "qty": 1, "unit_price": 89.0}},
    {{"sku": "MS-02", "qty": 2, "unit_price": 24.5}}
  ],
  "total": 138.0,
  "currency": "EUR",
  "created_at": "2024-05-14T09:31:07Z",
  "links": {{"self": "https://api.example.com/v2/orders/ord_7Hq2k"}}
}}
{F}

Parse `created_at` as UTC; the trailing `Z` means zero offset."""),
    ("log-excerpt", """Here are the relevant log lines:

2024-06-03T14:22:07.118Z INFO  [main] o.s.b.w.e.tomcat.TomcatWebServer : Tomcat started on port 8080 (http)
2024-06-03T14:22:09.502Z WARN  [pool-2-thread-1] c.z.hikari.pool.HikariPool : HikariPool-1 - Connection is not available, request timed out after 30000ms.
2024-06-03T14:22:09.503Z ERROR [http-nio-8080-exec-3] o.a.c.c.C.[.[.[/].[dispatcherServlet] : Servlet.service() threw exception
java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available
2024-06-03T14:22:10.001Z INFO  [main] com.example.inventory.App : Started App in 4.87 seconds

The pool has run out of connections. Raise `spring.datasource.hikari.maximum-pool-size` or find the code path that does not close its connections."""),
    ("makefile", f"""{F}makefile
.PHONY: install test lint run

install:
	python -m venv .venv
	.venv/bin/pip install -e ".[dev]"

test:
	.venv/bin/pytest -q

lint:
	.venv/bin/ruff check src tests

run:
	.venv/bin/uvicorn app.main:app --reload --host 127.0.0.1 --port 8000
{F}

Recipes must be indented with a tab, not spaces, or Make reports `missing separator`."""),
    ("py-fastapi-auth", f"""Protect the route with an API key header:

{F}python
from fastapi import Depends, FastAPI, HTTPException, Security
from fastapi.security import APIKeyHeader
import os

app = FastAPI()
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)
EXPECTED_KEY = os.environ["SERVICE_API_KEY"]


def require_key(api_key: str | None = Security(api_key_header)) -> None:
    if api_key != EXPECTED_KEY:
        raise HTTPException(status_code=401, detail="invalid or missing API key")


@app.get("/reports", dependencies=[Depends(require_key)])
def reports():
    return {{"reports": []}}
{F}

Use `secrets.compare_digest(api_key or "", EXPECTED_KEY)` to avoid timing attacks."""),
    ("py-jwt", f"""{F}python
import datetime as dt
import jwt

SECRET = settings.JWT_SECRET
token = jwt.encode(
    {{"sub": str(user.id), "exp": dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=30)}},
    SECRET,
    algorithm="HS256",
)
claims = jwt.decode(token, SECRET, algorithms=["HS256"])
{F}

Always pass `algorithms=[...]` to `decode`, otherwise an attacker can pick the algorithm."""),
    ("py-config-password-prompt", f"""Ask for the password at run time instead of storing it:

{F}python
import getpass
import keyring

password = keyring.get_password("backup-tool", "default")
if password is None:
    password = getpass.getpass("Backup password: ")
    keyring.set_password("backup-tool", "default", password)
{F}

`keyring` uses the macOS Keychain, Windows Credential Locker or the Secret Service on Linux."""),
    ("js-package-json", f"""{F}json
{{
  "name": "dashboard",
  "version": "2.3.0",
  "private": true,
  "type": "module",
  "scripts": {{
    "dev": "vite",
    "build": "tsc && vite build",
    "test": "vitest run",
    "lint": "eslint src --ext .ts,.tsx"
  }},
  "dependencies": {{
    "react": "^18.3.1",
    "react-dom": "^18.3.1",
    "@tanstack/react-query": "^5.45.0"
  }},
  "devDependencies": {{
    "typescript": "^5.5.2",
    "vite": "^5.3.1",
    "vitest": "^1.6.0"
  }}
}}
{F}"""),
    ("sh-python-venv", """$ python3 -m venv .venv
$ source .venv/bin/activate
(.venv) $ pip install -r requirements.txt
Collecting flask==3.0.3
  Downloading flask-3.0.3-py3-none-any.whl (101 kB)
Collecting werkzeug>=3.0.0
  Downloading werkzeug-3.0.3-py3-none-any.whl (227 kB)
Installing collected packages: werkzeug, flask
Successfully installed flask-3.0.3 werkzeug-3.0.3
(.venv) $ flask --app app run --debug
 * Running on http://127.0.0.1:5000
Press CTRL+C to quit"""),
    ("sh-k8s-debug", """$ kubectl get pods -n shop
NAME                       READY   STATUS             RESTARTS      AGE
api-6d9f8c7b5d-2xk4p       0/1     CrashLoopBackOff   6 (41s ago)   9m
api-6d9f8c7b5d-q8w7z       1/1     Running            0             9m
$ kubectl logs api-6d9f8c7b5d-2xk4p -n shop --previous
Error: environment variable DATABASE_URL is required
$ kubectl describe pod api-6d9f8c7b5d-2xk4p -n shop | grep -A3 Environment

One replica is missing the `DATABASE_URL` variable: check the ConfigMap it references."""),
    ("sh-ffmpeg", """Convert the video and keep the quality reasonable:

ffmpeg -i input.mov -c:v libx264 -preset slow -crf 22 -c:a aac -b:a 160k -movflags +faststart output.mp4

Lower CRF means better quality and bigger files; 18 to 28 is the useful range. To cut a clip from 00:01:30 for 20 seconds, add `-ss 00:01:30 -t 20` before `-i`."""),
    ("py-hash-password", f"""Hash and verify passwords with argon2:

{F}python
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError

ph = PasswordHasher()
stored = ph.hash(form.password.data)

def check(password: str, stored_hash: str) -> bool:
    try:
        return ph.verify(stored_hash, password)
    except VerifyMismatchError:
        return False
{F}

The stored hash includes the salt and parameters, so you only keep that one string per user."""),
    ("py-regex-emails", f"""To validate the format of an address (not whether it exists):

{F}python
import re

EMAIL_RE = re.compile(r"^[^@\\s]+@[^@\\s]+\\.[a-z]{{2,}}$", re.IGNORECASE)

for candidate in ["user@example.com", "no-at-sign.example.com", "a@b"]:
    print(candidate, bool(EMAIL_RE.match(candidate)))
{F}

Output: `user@example.com True`, then `False` twice. For real validation, send a confirmation link."""),
    ("go-test-table", f"""Table-driven tests are idiomatic in Go:

{F}go
func TestSlugify(t *testing.T) {{
	tests := []struct {{
		in, want string
	}}{{
		{{"Hello World", "hello-world"}},
		{{"  Trim  me ", "trim-me"}},
		{{"Ünïcode Ärger", "unicode-arger"}},
	}}
	for _, tt := range tests {{
		t.Run(tt.in, func(t *testing.T) {{
			if got := Slugify(tt.in); got != tt.want {{
				t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}}
		}})
	}}
}}
{F}"""),
    ("rust-axum", f"""{F}rust
use axum::{{routing::get, Json, Router}};
use serde::Serialize;

#[derive(Serialize)]
struct Health {{
    status: &'static str,
    version: &'static str,
}}

async fn health() -> Json<Health> {{
    Json(Health {{ status: "ok", version: env!("CARGO_PKG_VERSION") }})
}}

#[tokio::main]
async fn main() {{
    let app = Router::new().route("/health", get(health));
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}}
{F}"""),
    ("ts-zod", f"""Validate the request body with zod:

{F}typescript
import {{ z }} from "zod";

const Signup = z.object({{
  email: z.string().email(),
  password: z.string().min(12),
  plan: z.enum(["free", "pro", "team"]).default("free"),
}});

type Signup = z.infer<typeof Signup>;

export function parseSignup(body: unknown): Signup {{
  return Signup.parse(body);
}}
{F}

`parse` throws a `ZodError` listing every invalid field; use `safeParse` to get a result object instead."""),
    ("sql-mongodb", f"""The MongoDB aggregation equivalent of GROUP BY:

{F}javascript
db.orders.aggregate([
  {{ $match: {{ status: "paid", createdAt: {{ $gte: ISODate("2024-01-01") }} }} }},
  {{ $group: {{ _id: "$country", revenue: {{ $sum: "$total" }}, orders: {{ $count: {{}} }} }} }},
  {{ $sort: {{ revenue: -1 }} }},
  {{ $limit: 10 }}
]);
{F}"""),
    ("prose-docker-vs-vm", """Docker containers share the host's kernel, so they start in milliseconds and use little memory, but they can only run software built for that kernel. Virtual machines such as those in VirtualBox, VMware or KVM emulate hardware and run their own kernel, which isolates them more strongly and lets you run Windows on a Linux host. On macOS and Windows, Docker Desktop actually runs a small Linux VM in the background. Use containers to package applications; use VMs when you need a different operating system or a hard security boundary."""),
    ("prose-ubuntu-upgrade", """Upgrade Ubuntu 22.04 to 24.04 with `sudo do-release-upgrade`. Back up your home directory first, and make sure `sudo apt update && sudo apt full-upgrade` finishes without errors. Third-party PPAs are disabled during the upgrade; re-enable them afterwards in Software & Updates. If the tool says no new release is found, the upgrade path opens a few weeks after the first point release (24.04.1)."""),
    ("table-env-vars", """These environment variables configure the service:

| Variable | Default | Description |
|---|---|---|
| `PORT` | `8080` | HTTP port to listen on |
| `LOG_LEVEL` | `info` | One of debug, info, warn, error |
| `DATABASE_URL` | none | PostgreSQL connection string |
| `API_TOKEN` | none | Token for the upstream API, read at startup |
| `CACHE_TTL_SECONDS` | `300` | How long responses are cached |"""),
    ("py-logging-config", f"""{F}python
import logging.config

LOGGING = {{
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {{"plain": {{"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}}}},
    "handlers": {{
        "console": {{"class": "logging.StreamHandler", "formatter": "plain"}},
        "file": {{"class": "logging.handlers.RotatingFileHandler", "filename": "app.log",
                  "maxBytes": 10_000_000, "backupCount": 3, "formatter": "plain"}},
    }},
    "root": {{"level": "INFO", "handlers": ["console", "file"]}},
}}
logging.config.dictConfig(LOGGING)
{F}"""),
    ("java-gradle", f"""{F}kotlin
plugins {{
    java
    id("org.springframework.boot") version "3.3.1"
    id("io.spring.dependency-management") version "1.1.5"
}}

java {{
    toolchain {{ languageVersion.set(JavaLanguageVersion.of(21)) }}
}}

dependencies {{
    implementation("org.springframework.boot:spring-boot-starter-web")
    implementation("org.springframework.boot:spring-boot-starter-data-jpa")
    runtimeOnly("org.postgresql:postgresql")
    testImplementation("org.springframework.boot:spring-boot-starter-test")
}}
{F}

Run it with `./gradlew bootRun`."""),
    ("sh-openssl", """Generate a self-signed certificate for local development:

openssl req -x509 -newkey rsa:4096 -sha256 -days 365 -nodes \\
  -keyout localhost.key -out localhost.crt \\
  -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1"

Browsers will still warn because no trusted authority signed it; for a trusted local certificate, use mkcert."""),
]

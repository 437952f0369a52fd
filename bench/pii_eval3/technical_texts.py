'''The `technical` set: PII-free technical texts written for this evaluation (code, logs,
configs, stack traces, SQL, math). A scrubber must leave each one byte-identical. No person
names (not even eponyms), no personal e-mail (only example.com/.org), only private,
loopback or documentation IPs; numbers are versions, ports, sizes, hashes and timestamps.'''

TEXTS = [
    ("python", '''Here is a version that streams the file instead of loading it whole:

```python
import csv
from pathlib import Path


def iter_rows(path: Path, delimiter: str = ";"):
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        for row in reader:
            if row.get("Status") == "Closed":
                continue
            yield {k.strip(): v.strip() for k, v in row.items()}


total = sum(float(r["Amount"]) for r in iter_rows(Path("orders.csv")))
print(f"Open orders: {total:,.2f}")
```

`DictReader` uses the first line as the header, so `Amount` and `Status` must match it exactly.'''),
    ("python-asyncio", '''```python
import asyncio

async def fetch(queue: asyncio.Queue, worker_id: int) -> None:
    while True:
        item = await queue.get()
        try:
            await asyncio.sleep(0.05 * item)
        finally:
            queue.task_done()

async def main() -> None:
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize=100)
    workers = [asyncio.create_task(fetch(queue, i)) for i in range(8)]
    for n in range(1, 501):
        await queue.put(n % 7)
    await queue.join()
    for w in workers:
        w.cancel()

asyncio.run(main())
```
The `maxsize=100` gives back-pressure: `put` waits once 100 items are pending.'''),
    ("python-traceback", '''I get this when I run the script:

Traceback (most recent call last):
  File "/srv/app/manage.py", line 22, in <module>
    main()
  File "/srv/app/manage.py", line 18, in main
    execute_from_command_line(sys.argv)
  File "/srv/app/.venv/lib/python3.12/site-packages/django/core/management/__init__.py", line 442, in execute_from_command_line
    utility.execute()
  File "/srv/app/.venv/lib/python3.12/site-packages/django/db/backends/utils.py", line 105, in _execute
    return self.cursor.execute(sql, params)
django.db.utils.OperationalError: connection to server at "127.0.0.1", port 5432 failed: FATAL:  password authentication failed for user "app_rw"'''),
    ("javascript", '''```js
// Group log entries by level and keep the 3 slowest of each
const byLevel = entries.reduce((acc, e) => {
  (acc[e.level] ??= []).push(e);
  return acc;
}, {});

for (const [level, list] of Object.entries(byLevel)) {
  const slowest = list.toSorted((a, b) => b.durationMs - a.durationMs).slice(0, 3);
  console.log(level.padEnd(6), slowest.map((e) => `${e.route}:${e.durationMs}ms`).join("  "));
}
```
`toSorted` needs Node 20+; on older versions copy first with `[...list].sort(...)`.'''),
    ("typescript", '''```ts
type Result<T, E = Error> = { ok: true; value: T } | { ok: false; error: E };

export function parsePort(raw: string): Result<number> {
  const n = Number.parseInt(raw, 10);
  if (Number.isNaN(n) || n < 1 || n > 65535) {
    return { ok: false, error: new RangeError(`invalid port: ${raw}`) };
  }
  return { ok: true, value: n };
}

const r = parsePort(process.env.PORT ?? "8080");
if (!r.ok) process.exit(2);
```'''),
    ("node-stack", '''(node:48213) UnhandledPromiseRejectionWarning: TypeError: Cannot read properties of undefined (reading 'map')
    at ProductList (/app/src/components/ProductList.jsx:14:23)
    at renderWithHooks (/app/node_modules/react-dom/cjs/react-dom.development.js:16305:18)
    at mountIndeterminateComponent (/app/node_modules/react-dom/cjs/react-dom.development.js:20074:13)
    at beginWork (/app/node_modules/react-dom/cjs/react-dom.development.js:21587:16)

The `items` prop is undefined on the first render; default it with `items = []`.'''),
    ("go", '''```go
package main

import (
	"context"
	"log"
	"net/http"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	srv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() { log.Fatal(srv.ListenAndServe()) }()
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
}
```'''),
    ("go-panic", '''panic: runtime error: index out of range [3] with length 3

goroutine 1 [running]:
main.parseHeader({0xc000012180, 0x3, 0x4})
	/home/build/src/tool/main.go:41 +0x1d4
main.main()
	/home/build/src/tool/main.go:17 +0x65
exit status 2'''),
    ("rust", '''```rust
use std::collections::HashMap;

fn word_freq(text: &str) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for w in text.split_whitespace() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        if !w.is_empty() {
            *counts.entry(w).or_insert(0) += 1;
        }
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}
```'''),
    ("rust-error", '''error[E0499]: cannot borrow `grid` as mutable more than once at a time
  --> src/board.rs:23:22
   |
22 |         let row_a = &mut grid[r];
   |                          ---- first mutable borrow occurs here
23 |         let row_b = &mut grid[r + 1];
   |                          ^^^^ second mutable borrow occurs here
24 |         std::mem::swap(row_a, row_b);
   |                        ----- first borrow later used here

Use `grid.swap(r, r + 1)` or `split_at_mut` instead.'''),
    ("java", '''```java
public final class RateLimiter {
    private final long capacity;
    private final double refillPerNano;
    private double tokens;
    private long last = System.nanoTime();

    public RateLimiter(long capacity, double perSecond) {
        this.capacity = capacity;
        this.refillPerNano = perSecond / 1_000_000_000.0;
        this.tokens = capacity;
    }

    public synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * refillPerNano);
        last = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
```'''),
    ("java-stack", '''Exception in thread "main" java.lang.IllegalStateException: Failed to load ApplicationContext
	at org.springframework.test.context.cache.DefaultCacheAwareContextLoaderDelegate.loadContext(DefaultCacheAwareContextLoaderDelegate.java:180)
Caused by: org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'dataSource': Failed to instantiate [com.zaxxer.hikari.HikariDataSource]
	at org.springframework.beans.factory.support.ConstructorResolver.instantiate(ConstructorResolver.java:657)
Caused by: java.net.ConnectException: Connection refused (Connection refused)
	at java.base/sun.nio.ch.Net.pollConnect(Native Method)
	... 42 more'''),
    ("kotlin", '''```kotlin
data class Reading(val sensor: String, val celsius: Double, val at: Long)

fun List<Reading>.hourlyMax(): Map<Long, Double> =
    groupBy { it.at / 3_600_000 }
        .mapValues { (_, rs) -> rs.maxOf { it.celsius } }

fun main() {
    val rs = listOf(Reading("t1", 21.5, 1_700_000_000_000), Reading("t2", 23.0, 1_700_000_900_000))
    println(rs.hourlyMax())
}
```'''),
    ("c", '''```c
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(void) {
    int v[] = {42, 7, 19, 3, 88, 21};
    size_t n = sizeof v / sizeof v[0];
    qsort(v, n, sizeof v[0], cmp_int);
    for (size_t i = 0; i < n; i++) printf("%d%c", v[i], i + 1 < n ? ' ' : '\\n');
    return EXIT_SUCCESS;
}
```'''),
    ("cpp", '''```cpp
#include <algorithm>
#include <iostream>
#include <vector>

template <typename T>
T median(std::vector<T> v) {
    auto mid = v.begin() + v.size() / 2;
    std::nth_element(v.begin(), mid, v.end());
    if (v.size() % 2) return *mid;
    auto lo = *std::max_element(v.begin(), mid);
    return (lo + *mid) / 2;
}

int main() { std::cout << median<double>({5, 1, 4, 2, 3, 6}) << "\\n"; }
```'''),
    ("csharp", '''```csharp
public static class RetryExtensions
{
    public static async Task<T> WithRetry<T>(this Func<Task<T>> op, int attempts = 3)
    {
        for (var i = 1; ; i++)
        {
            try { return await op(); }
            catch (HttpRequestException) when (i < attempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * Math.Pow(2, i)));
            }
        }
    }
}
```'''),
    ("ruby", '''```ruby
require "json"

class Inventory
  def initialize(path)
    @items = JSON.parse(File.read(path), symbolize_names: true)
  end

  def low_stock(threshold = 5)
    @items.select { |i| i[:quantity] < threshold }.map { |i| i[:sku] }
  end
end

puts Inventory.new("stock.json").low_stock.join(", ")
```'''),
    ("php", '''```php
<?php
declare(strict_types=1);

function slugify(string $title): string {
    $s = iconv('UTF-8', 'ASCII//TRANSLIT', $title);
    $s = preg_replace('/[^a-zA-Z0-9]+/', '-', $s);
    return strtolower(trim($s, '-'));
}

echo slugify("Hello, World! 2024 Edition"), PHP_EOL; // hello-world-2024-edition
```'''),
    ("swift", '''```swift
struct Stack<Element> {
    private var items: [Element] = []
    mutating func push(_ item: Element) { items.append(item) }
    mutating func pop() -> Element? { items.popLast() }
    var top: Element? { items.last }
    var isEmpty: Bool { items.isEmpty }
}

var s = Stack<Int>()
[3, 1, 4].forEach { s.push($0) }
print(s.pop() ?? -1)
```'''),
    ("haskell", '''```haskell
import Data.List (foldl')

mean :: [Double] -> Double
mean xs = s / fromIntegral n
  where (s, n) = foldl' step (0, 0 :: Int) xs
        step (a, k) x = (a + x, k + 1)

main :: IO ()
main = print (mean [2.5, 3.5, 4.0])
```'''),
    ("elixir", '''```elixir
defmodule Counter do
  use GenServer

  def start_link(init \\\\ 0), do: GenServer.start_link(__MODULE__, init, name: __MODULE__)
  def incr, do: GenServer.cast(__MODULE__, :incr)
  def value, do: GenServer.call(__MODULE__, :value)

  @impl true
  def init(n), do: {:ok, n}
  @impl true
  def handle_cast(:incr, n), do: {:noreply, n + 1}
  @impl true
  def handle_call(:value, _from, n), do: {:reply, n, n}
end
```'''),
    ("lua", '''```lua
local function memoize(f)
  local cache = {}
  return function(n)
    if cache[n] == nil then cache[n] = f(n) end
    return cache[n]
  end
end

local fib
fib = memoize(function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end)
print(fib(80))
```'''),
    ("r", '''```r
library(dplyr)

sales %>%
  filter(region %in% c("North", "West"), !is.na(revenue)) %>%
  group_by(region, quarter) %>%
  summarise(total = sum(revenue), n = n(), .groups = "drop") %>%
  arrange(desc(total))
```
`.groups = "drop"` avoids the grouped-output message in dplyr 1.1.'''),
    ("julia", '''```julia
function trapezoid(f, a, b; n = 1_000)
    h = (b - a) / n
    s = (f(a) + f(b)) / 2
    for k in 1:n-1
        s += f(a + k * h)
    end
    return s * h
end

trapezoid(x -> exp(-x^2), -3, 3)   # ≈ 1.7724, close to sqrt(pi)
```'''),
    ("sql-postgres", '''```sql
WITH monthly AS (
    SELECT date_trunc('month', created_at) AS month,
           product_id,
           SUM(quantity * unit_price) AS revenue
    FROM order_lines
    WHERE created_at >= DATE '2024-01-01'
    GROUP BY 1, 2
)
SELECT month,
       product_id,
       revenue,
       RANK() OVER (PARTITION BY month ORDER BY revenue DESC) AS rnk
FROM monthly
WHERE revenue > 1000
ORDER BY month, rnk;
```'''),
    ("sql-ddl", '''```sql
CREATE TABLE accounts (
    id          BIGSERIAL PRIMARY KEY,
    email       TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    is_active   BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX accounts_created_idx ON accounts (created_at DESC);
INSERT INTO accounts (email, password_hash) VALUES ('test@example.com', '$2b$12$Q9eXjTq1v0k2o0uM3yN8KeY7m1Z3rRk6yFz4pWl8sG5aHc0bD9eTu');
```'''),
    ("sql-mysql-error", '''mysql> SELECT name, COUNT(*) FROM products GROUP BY category;
ERROR 1055 (42000): Expression #1 of SELECT list is not in GROUP BY clause and contains nonaggregated column 'shop.products.name' which is not functionally dependent on columns in GROUP BY clause; this is incompatible with sql_mode=only_full_group_by'''),
    ("bash", '''```bash
#!/usr/bin/env bash
set -euo pipefail

backup_dir="/var/backups/db/$(date +%Y%m%d)"
mkdir -p "$backup_dir"
pg_dump --format=custom --jobs=4 --file="$backup_dir/app.dump" "${DATABASE_URL:?missing}"
find /var/backups/db -maxdepth 1 -type d -mtime +14 -exec rm -rf {} +
echo "backup written to $backup_dir ($(du -sh "$backup_dir" | cut -f1))"
```'''),
    ("shell-session", '''$ docker ps --format 'table {{.Names}}\\t{{.Status}}\\t{{.Ports}}'
NAMES        STATUS                  PORTS
api          Up 3 hours              0.0.0.0:8000->8000/tcp
redis        Up 3 hours              6379/tcp
postgres     Up 3 hours (healthy)    5432/tcp
$ docker logs --tail 3 api
INFO:     Started server process [1]
INFO:     Waiting for application startup.
INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)'''),
    ("powershell", '''```powershell
Get-ChildItem -Path C:\\Logs -Filter *.log -Recurse |
    Where-Object { $_.LastWriteTime -lt (Get-Date).AddDays(-30) } |
    ForEach-Object {
        Compress-Archive -Path $_.FullName -DestinationPath "$($_.FullName).zip" -Force
        Remove-Item $_.FullName
    }
Write-Host "Archived old logs"
```'''),
    ("makefile", '''```make
.PHONY: build test lint clean

BIN := bin/server
GOFLAGS := -trimpath -ldflags="-s -w"

build:
\tgo build $(GOFLAGS) -o $(BIN) ./cmd/server

test:
\tgo test -race -count=1 ./...

lint:
\tgolangci-lint run --timeout 5m

clean:
\trm -rf bin/
```'''),
    ("dockerfile", '''```dockerfile
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml poetry.lock ./
RUN pip install --no-cache-dir poetry==1.8.3 && poetry export -f requirements.txt -o req.txt
COPY . .
RUN pip wheel --no-deps -w /wheels -r req.txt .

FROM python:3.12-slim
COPY --from=build /wheels /wheels
RUN python -m pip install --no-index /wheels/*.whl && rm -r /wheels
USER 10001
EXPOSE 8000
CMD ["gunicorn", "app.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
```'''),
    ("k8s-yaml", '''```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  labels: {app: worker, tier: backend}
spec:
  replicas: 3
  selector:
    matchLabels: {app: worker}
  template:
    metadata:
      labels: {app: worker}
    spec:
      containers:
        - name: worker
          image: registry.internal:5000/worker:2.4.1
          resources:
            requests: {cpu: 250m, memory: 256Mi}
            limits: {cpu: "1", memory: 512Mi}
          env:
            - name: QUEUE_URL
              valueFrom:
                secretKeyRef: {name: worker-secrets, key: queue-url}
```'''),
    ("gh-actions", '''```yaml
name: ci
on:
  push: {branches: [main]}
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python: ["3.10", "3.11", "3.12"]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {python-version: "${{ matrix.python }}", cache: pip}
      - run: pip install -e '.[test]'
      - run: pytest -q --maxfail=1
```'''),
    ("toml", '''```toml
[project]
name = "fastcsv"
version = "0.9.2"
requires-python = ">=3.10"
dependencies = ["numpy>=1.26", "pyarrow>=15"]

[project.optional-dependencies]
test = ["pytest>=8", "hypothesis>=6.100"]

[tool.ruff]
line-length = 100
target-version = "py310"
```'''),
    ("ini", '''```ini
[uwsgi]
module = app.wsgi:application
master = true
processes = 4
threads = 2
socket = /run/app/uwsgi.sock
chmod-socket = 660
vacuum = true
harakiri = 30
max-requests = 5000
```'''),
    ("json-config", '''```json
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "outDir": "dist",
    "sourceMap": true
  },
  "include": ["src/**/*.ts"],
  "exclude": ["node_modules", "dist"]
}
```'''),
    ("xml", '''```xml
<dependency>
    <groupId>org.apache.kafka</groupId>
    <artifactId>kafka-clients</artifactId>
    <version>3.7.0</version>
</dependency>
<plugin>
    <groupId>org.apache.maven.plugins</groupId>
    <artifactId>maven-surefire-plugin</artifactId>
    <version>3.2.5</version>
    <configuration><forkCount>2</forkCount><reuseForks>true</reuseForks></configuration>
</plugin>
```'''),
    ("nginx", '''```nginx
upstream api_backend {
    least_conn;
    server 10.0.2.11:8000 max_fails=3 fail_timeout=10s;
    server 10.0.2.12:8000 max_fails=3 fail_timeout=10s;
    keepalive 32;
}

server {
    listen 443 ssl http2;
    server_name api.example.com;
    ssl_certificate     /etc/ssl/certs/api.pem;
    ssl_certificate_key /etc/ssl/private/api.key;
    client_max_body_size 20m;

    location / {
        proxy_pass http://api_backend;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_read_timeout 60s;
    }
}
```'''),
    ("nginx-log", '''192.168.1.24 - - [12/Mar/2024:09:14:07 +0000] "GET /static/app.3f9c2b.js HTTP/1.1" 200 48213 "-" "Mozilla/5.0 (X11; Linux x86_64)"
192.168.1.24 - - [12/Mar/2024:09:14:08 +0000] "POST /api/v2/cart HTTP/1.1" 502 157 "-" "Mozilla/5.0 (X11; Linux x86_64)"
10.0.0.5 - - [12/Mar/2024:09:14:09 +0000] "GET /healthz HTTP/1.1" 204 0 "-" "kube-probe/1.29"

Why would only the POST return 502 while the health check passes?'''),
    ("systemd", '''```ini
[Unit]
Description=Queue consumer
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=consumer
EnvironmentFile=/etc/consumer/env
ExecStart=/opt/consumer/bin/consumer --concurrency 8
Restart=on-failure
RestartSec=5
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
```'''),
    ("crontab", '''```cron
# m   h  dom mon dow  command
*/5   *  *   *   *    /usr/local/bin/check_disk.sh >> /var/log/check_disk.log 2>&1
15    2  *   *   0    /usr/local/bin/rotate_logs --keep 8
0     4  1   *   *    /usr/bin/certbot renew --quiet --deploy-hook "systemctl reload nginx"
```'''),
    ("syslog", '''Mar 12 03:21:44 web-02 kernel: [183402.551210] Out of memory: Killed process 23817 (java) total-vm:8391044kB, anon-rss:6120348kB, file-rss:0kB, shmem-rss:0kB, UID:1001 pgtables:12644kB oom_score_adj:0
Mar 12 03:21:45 web-02 systemd[1]: app.service: Main process exited, code=killed, status=9/KILL
Mar 12 03:21:45 web-02 systemd[1]: app.service: Failed with result 'signal'.
Mar 12 03:21:50 web-02 systemd[1]: app.service: Scheduled restart job, restart counter is at 4.'''),
    ("jvm-gc", '''[2024-03-12T10:02:11.418+0000][info][gc] GC(1187) Pause Young (Normal) (G1 Evacuation Pause) 3891M->1204M(6144M) 41.223ms
[2024-03-12T10:02:19.907+0000][info][gc] GC(1188) Pause Young (Concurrent Start) (G1 Humongous Allocation) 4012M->1390M(6144M) 57.801ms
[2024-03-12T10:02:20.113+0000][info][gc] GC(1189) Concurrent Mark Cycle 205.614ms'''),
    ("git", '''$ git rebase -i HEAD~3
error: could not apply 4e1a9c2... Add retry to the upload client
hint: Resolve all conflicts manually, mark them as resolved with
hint: "git add/rm <conflicted_files>", then run "git rebase --continue".
CONFLICT (content): Merge conflict in src/upload/client.py
$ git status --short
UU src/upload/client.py
M  tests/test_client.py'''),
    ("diff", '''```diff
--- a/src/cache.py
+++ b/src/cache.py
@@ -12,7 +12,9 @@ class LRUCache:
     def get(self, key):
-        return self._data[key]
+        value = self._data.pop(key)
+        self._data[key] = value  # move to the most recent end
+        return value
 
     def put(self, key, value):
         if key in self._data:
```'''),
    ("pip", '''$ pip install "torch==2.3.1" --index-url https://download.pytorch.org/whl/cu121
Looking in indexes: https://download.pytorch.org/whl/cu121
Collecting torch==2.3.1
  Downloading https://download.pytorch.org/whl/cu121/torch-2.3.1%2Bcu121-cp311-cp311-linux_x86_64.whl (781.0 MB)
     ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 781.0/781.0 MB 38.2 MB/s eta 0:00:00
Successfully installed torch-2.3.1+cu121 triton-2.3.1'''),
    ("gcc-error", '''main.c: In function 'parse_args':
main.c:27:15: warning: comparison of integer expressions of different signedness: 'int' and 'size_t' {aka 'long unsigned int'} [-Wsign-compare]
   27 |     for (i = 0; i < len; i++) {
      |               ^
main.c:41:5: error: implicit declaration of function 'strlcpy'; did you mean 'strncpy'? [-Werror=implicit-function-declaration]
   41 |     strlcpy(buf, argv[1], sizeof buf);
      |     ^~~~~~~
cc1: some warnings being treated as errors'''),
    ("regex", '''To match an ISO 8601 date with an optional time, use:

```
^(\\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])(?:T([01]\\d|2[0-3]):([0-5]\\d)(?::([0-5]\\d))?)?$
```

It accepts `2024-02-29` and `2024-02-29T23:59`, but it does not check leap years: `2023-02-29` also passes.'''),
    ("latex-math", '''The variance of the sample mean follows from independence:

$$\\operatorname{Var}(\\bar X) = \\operatorname{Var}\\Big(\\frac{1}{n}\\sum_{i=1}^{n} X_i\\Big) = \\frac{1}{n^2}\\sum_{i=1}^{n}\\operatorname{Var}(X_i) = \\frac{\\sigma^2}{n}.$$

So with $n = 400$ and $\\sigma = 12$, the standard error is $12/\\sqrt{400} = 0.6$.'''),
    ("math-prose", '''Solve 3x^2 - 12x + 9 = 0. Divide by 3: x^2 - 4x + 3 = 0, which factors as (x - 1)(x - 3) = 0, so x = 1 or x = 3. Check: 3(1) - 12(1) + 9 = 0 and 3(9) - 12(3) + 9 = 27 - 36 + 9 = 0. The vertex is at x = 2, where y = 3(4) - 24 + 9 = -3.'''),
    ("math-matrix", '''For A = [[2, 1], [1, 3]], the characteristic polynomial is λ^2 - 5λ + 5 = 0, so the eigenvalues are λ = (5 ± √5)/2 ≈ 3.618 and 1.382. Both are positive, hence A is positive definite, and det(A) = 5 equals their product.'''),
    ("csv-data", '''Here is a sample of the sensor export:

```
timestamp,device,temp_c,humidity,battery_mv
2024-05-01T00:00:00Z,dev-017,18.4,61,3012
2024-05-01T00:05:00Z,dev-017,18.3,61,3011
2024-05-01T00:05:00Z,dev-022,21.9,48,2894
2024-05-01T00:10:00Z,dev-022,22.0,47,2893
```

`battery_mv` below 2900 means the device should be scheduled for a battery swap.'''),
    ("markdown-table", '''| Method | p50 latency | p99 latency | Throughput |
|---|---|---|---|
| Sync (1 worker) | 12 ms | 95 ms | 810 req/s |
| Async (uvloop) | 4 ms | 31 ms | 4,920 req/s |
| Async + cache | 1.8 ms | 22 ms | 11,300 req/s |

The cache hit rate during the test was 87%.'''),
    ("http", '''```http
POST /v1/tokens HTTP/1.1
Host: auth.example.com
Content-Type: application/x-www-form-urlencoded
Authorization: Basic <base64 of client_id:client_secret>

grant_type=client_credentials&scope=read%3Areports
```

The response carries `access_token`, `token_type: Bearer` and `expires_in: 3600`.'''),
    ("env-secrets", '''```python
import os

API_KEY = os.environ["PAYMENTS_API_KEY"]
DB_PASSWORD = os.getenv("DB_PASSWORD", "")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50)
token = request.headers.get("Authorization", "").removeprefix("Bearer ")
```
Never hard-code these: put them in the environment or a secret manager.'''),
    ("redis", '''127.0.0.1:6379> SET session:9f2c1e "{\\"cart\\":[3,17]}" EX 1800
OK
127.0.0.1:6379> TTL session:9f2c1e
(integer) 1800
127.0.0.1:6379> INFO memory
# Memory
used_memory:1048576
used_memory_human:1.00M
maxmemory_policy:allkeys-lru'''),
    ("mongodb", '''```js
db.orders.aggregate([
  { $match: { status: "shipped", createdAt: { $gte: ISODate("2024-01-01") } } },
  { $unwind: "$items" },
  { $group: { _id: "$items.sku", qty: { $sum: "$items.qty" } } },
  { $sort: { qty: -1 } },
  { $limit: 10 }
])
```'''),
    ("terraform", '''```hcl
resource "aws_s3_bucket" "logs" {
  bucket = "acme-app-logs-prod"
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    id     = "expire-old"
    status = "Enabled"
    expiration { days = 90 }
    filter { prefix = "app/" }
  }
}
```'''),
    ("ansible", '''```yaml
- name: Harden SSH
  hosts: web
  become: true
  tasks:
    - name: Disable password login
      ansible.builtin.lineinfile:
        path: /etc/ssh/sshd_config
        regexp: '^#?PasswordAuthentication'
        line: 'PasswordAuthentication no'
      notify: restart sshd
  handlers:
    - name: restart sshd
      ansible.builtin.service: {name: sshd, state: restarted}
```'''),
    ("ssh-config", '''```
Host bastion
    HostName 10.20.0.4
    User deploy
    IdentityFile ~/.ssh/id_ed25519
    ForwardAgent no

Host app-*
    ProxyJump bastion
    User deploy
    StrictHostKeyChecking accept-new
```'''),
    ("pytest-output", '''============================= test session starts ==============================
platform linux -- Python 3.11.9, pytest-8.2.0, pluggy-1.5.0
collected 57 items

tests/test_parser.py ........F.....                                        [ 24%]
tests/test_writer.py ...........................................          [100%]

=================================== FAILURES ===================================
___________________________ test_parse_empty_header ____________________________
    def test_parse_empty_header():
>       assert parse("") == {}
E       AssertionError: assert None == {}
========================= 1 failed, 56 passed in 2.31s ========================='''),
    ("uuid-hash", '''The job ids are UUIDv4 (e.g. 3f2b8c1e-9d4a-4e7b-b1c2-7a9f0e5d6c31) and the artefacts are addressed by SHA-256:

sha256:9b74c9897bac770ffc029102a200c5de2d4c3f5a7e1e0b3c6d8f2a1b4c7d9e0f  model.onnx
sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  empty.txt

The second one is the hash of an empty file.'''),
    ("ip-private", '''On the router, give the NAS a fixed lease: 192.168.0.50, netmask 255.255.255.0, gateway 192.168.0.1, DNS 192.168.0.1. The Docker bridge uses 172.17.0.0/16 and the VPN clients get 10.8.0.0/24, so none of the ranges overlap. From the laptop, `ping 192.168.0.50` should answer in under 2 ms.'''),
    ("units-prose", '''A 12 V battery rated 100 Ah stores about 1.2 kWh. Running a 60 W load through an inverter at 90% efficiency draws 60 / 0.9 ≈ 66.7 W, so a full charge lasts about 1200 / 66.7 ≈ 18 hours, or 9 hours if you keep lead-acid above 50% depth of discharge.'''),
    ("excel", '''Use `=XLOOKUP(A2, Prices!A:A, Prices!C:C, "not found", 0)` in B2 and fill down. If your Excel is older than 2021, `=IFERROR(INDEX(Prices!C:C, MATCH(A2, Prices!A:A, 0)), "not found")` does the same. Format column B as Currency with 2 decimals.'''),
    ("vim", '''In Vim, `:%s/\\s\\+$//e` deletes trailing whitespace in the whole file, `:g/^$/d` deletes empty lines, and `gg=G` re-indents everything. Put `set expandtab shiftwidth=4 softtabstop=4` in ~/.vimrc to get spaces instead of tabs.'''),
    ("graphql", '''```graphql
query Repo($owner: String!, $name: String!, $first: Int = 10) {
  repository(owner: $owner, name: $name) {
    issues(first: $first, states: OPEN, orderBy: {field: CREATED_AT, direction: DESC}) {
      totalCount
      nodes { number title createdAt labels(first: 5) { nodes { name } } }
    }
  }
}
```'''),
    ("protobuf", '''```proto
syntax = "proto3";
package metrics.v1;

message Sample {
  string series = 1;
  int64 timestamp_ms = 2;
  double value = 3;
  map<string, string> labels = 4;
}

service Ingest {
  rpc Push(stream Sample) returns (PushReply);
}
message PushReply { uint64 accepted = 1; }
```'''),
    ("scala", '''```scala
val words = scala.io.Source.fromFile("corpus.txt").getLines()
  .flatMap(_.toLowerCase.split("\\\\W+"))
  .filter(_.nonEmpty)
  .toSeq

val top = words.groupMapReduce(identity)(_ => 1)(_ + _)
  .toSeq.sortBy(-_._2).take(20)
top.foreach { case (w, n) => println(f"$w%-15s $n%6d") }
```'''),
]

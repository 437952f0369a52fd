"""Is this text technical, and is this word a tool rather than a person?

Researchers need code and technical answers intact, and the small NER model takes tool and
product names for people ("Docker", "Ubuntu", "Homebrew", "Vim"). A word is a tool when it is in
TOOLS (a hand-written vocabulary of languages, tools, products and technical nouns), when it
is written in mixed case inside the word ("GitHub", "PyTorch"), or when the same text also
uses it in lower case outside a sentence start (`docker ps`, "then run homebrew").
A text is technical when it holds code (or a Markdown table) or at least two technical words.
"""
from __future__ import annotations

import regex

__all__ = ["TOOLS", "is_tool_word", "is_technical", "lowercase_words"]

TOOLS = frozenset("""
python java javascript typescript kotlin swift rust ruby perl php scala haskell elixir erlang clojure
golang lua julia dart fortran cobol pascal delphi matlab octave bash zsh fish powershell sql nosql
html css sass less json yaml toml xml csv markdown latex regex graphql grpc protobuf wasm webassembly
docker podman kubernetes kubectl helm terraform ansible puppet chef vagrant jenkins circleci
git github gitlab bitbucket svn mercurial npm yarn pnpm pip pipx conda anaconda miniconda poetry
homebrew brew apt yum dnf pacman snap flatpak chocolatey winget cargo rustup gradle maven ant make
cmake ninja bazel webpack vite babel eslint prettier jest mocha pytest unittest junit selenium
cypress playwright postman curl wget ssh scp rsync sftp ftp nginx apache tomcat iis caddy traefik
node nodejs deno bun react angular vue svelte nextjs nuxt django flask fastapi rails laravel symfony
spring express nestjs electron flutter xamarin unity unreal godot qt gtk tkinter pygame opencv numpy
pandas scipy matplotlib seaborn plotly sklearn tensorflow keras pytorch torch jax huggingface
transformers spacy nltk gensim xgboost lightgbm catboost jupyter colab notebook vscode vim neovim
nvim emacs nano sublime atom intellij pycharm webstorm eclipse netbeans xcode android ios ipados
macos osx linux ubuntu debian fedora centos rhel arch manjaro mint kali alpine windows wsl unix
freebsd openbsd solaris chromeos mysql postgres postgresql sqlite mariadb mongodb redis cassandra
elasticsearch kafka rabbitmq zookeeper spark hadoop hive airflow dbt snowflake bigquery redshift
databricks tableau looker excel powerpoint outlook onedrive sharepoint teams slack discord zoom
jira confluence trello notion figma photoshop illustrator blender autocad aws azure gcp heroku
netlify vercel firebase supabase cloudflare lambda ec2 s3 dynamodb openai chatgpt gpt llama
gemini copilot midjourney whisper bert langchain api sdk cli gui ide url http https tcp udp dns
dhcp vpn ssl tls oauth jwt cors rest soap json xml cpu gpu ram ssd usb hdmi bios uefi kernel
bootloader grub systemd cron daemon firmware driver compiler interpreter debugger linter runtime
framework library module package plugin middleware backend frontend fullstack devops server client
database schema query index cache proxy router firewall container cluster pod node namespace
deployment pipeline repository repo branch commit merge rebase pull push fork clone issue release
tag function method class object variable constant array list dict tuple string integer float
boolean null undefined loop iterator generator decorator lambda callback promise async await thread
process mutex socket buffer stream file directory folder path config script terminal console shell
command prompt editor browser chrome firefox safari edge opera chromium wordpress shopify magento
drupal joomla woocommerce stripe paypal twilio sendgrid mailchimp zapier ifttt raspberry arduino
esp32 stm32 verilog vhdl fpga excel vba sap salesforce oracle ibm intel amd nvidia cuda opengl vulkan
directx metal wayland xorg ffmpeg imagemagick latex overleaf pandoc sphinx mkdocs doxygen swagger
openapi kibana grafana prometheus datadog splunk sentry nagios zabbix logstash fluentd istio envoy
consul vault nomad packer openshift rancher minikube kind k3s argo argocd flux tekton gitea
""".split())

# An upper-case letter inside a word, not after "-" or an apostrophe ("Jean-Luc", "O'Neil").
_CAMEL = regex.compile(r"(?<=[\p{Ll}\d])\p{Lu}")
# Capitals inside names: McDonald, MacArthur, DeVito, LaToya, VanDyke, IJzermans (Dutch IJ).
_NAME_CAPITALS = regex.compile(r"^(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|Fitz)\p{Lu}\p{Ll}+$|^IJ\p{Ll}+$")
_CODE_MARKERS = regex.compile(
    r"```|`[^`\n]+`|^\s*(?:def|class|import|from|return|if|for|while|function|const|let|var|public|private|"
    r"#include|SELECT|CREATE|\$|>>>|sudo|npm|npx|pip|pip3|git|docker|kubectl|curl|wget|apt|apt-get|brew|cd|ls|"
    r"mkdir|export|openssl|ssh|python|python3|node|go|cargo|make|cmake|gcc|javac|java|mvn|gradle)\b"
    r"|[;{}]\s*$|=>|::|\(\)|/usr/|\\n|==|!=|&&|\|\||^\s*\|.*\|\s*$|\\\s*$|(?:^|\s)--[a-z][\w-]+", regex.M)


# E-mail addresses and web addresses: their words are lower case whatever they name
# ("l.carullo@libero.it" says nothing about "Carullo").
# (Runs of such characters are found first and kept when they hold an address mark: a
# pattern that searched for the mark from every start would be quadratic on a long run, such
# as a 2 MB line of base64 holding "/".)
_RUN = regex.compile(r"[^\s<>()\[\]\"']+")


def _address_spans(text: str) -> list:
    if not ("@" in text or "://" in text or "www." in text):
        return []
    return [m.span() for m in _RUN.finditer(text)
            if "@" in (run := m.group()) or "://" in run or "www." in run]


def lowercase_words(view) -> frozenset:
    """Words the text writes in lower case somewhere (outside code, e-mail and web addresses)."""
    text = view.masked
    addresses = _address_spans(text)
    # Tokens and addresses both come in text order: one merge pass (a text full of addresses
    # would make a check of every token against every address quadratic).
    words, at = set(), 0
    for s, e, w in view.tokens:
        while at < len(addresses) and addresses[at][1] <= s:
            at += 1
        inside = at < len(addresses) and addresses[at][0] <= s and e <= addresses[at][1]
        if not inside and text[s:e].islower():
            words.add(w)
    return frozenset(words)


def is_tool_word(word: str, lowered_elsewhere: frozenset = frozenset()) -> bool:
    folded = word.casefold()
    if folded in TOOLS or folded.rstrip(".") in TOOLS:
        return True
    if _CAMEL.search(word) and not _NAME_CAPITALS.match(word):
        return not word.isupper()  # camel case ("GitHub"); all caps is an acronym, decided elsewhere
    return any(ch.isdigit() for ch in word) or folded in lowered_elsewhere


def is_technical(view, min_words: int = 2) -> bool:
    """Code (fenced, inline or code-like lines) or at least `min_words` tool words."""
    if _CODE_MARKERS.search(view.text):
        return True
    return sum(1 for _, _, w in view.tokens if w in TOOLS) >= min_words

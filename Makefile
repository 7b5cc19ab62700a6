# The two commands of the README: `make demo` and `make test`. Both install what they need.
.PHONY: setup build demo test test-rust test-js bench fuzz clean schema types

setup:
	scripts/setup.sh --browser

build: setup
	cargo build --release
	scripts/build.sh

demo: build
	node www/server.mjs

test: build
	cargo fmt --all -- --check
	cargo clippy --all-targets --features schema,cli -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features returns -- -D warnings
	cargo test --features schema,cli
	node scripts/types.mjs --check
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet --features schema
	npx --no-install tsc -p tests/js/tsconfig.json
	node --test --test-reporter=spec tests/js/

bench: build
	cargo bench --bench engine
	node bench/node-bench.mjs
	node bench/peers.mjs

# Regenerates pkg/policy.schema.json from the Rust types (a test fails while it is stale).
schema:
	cargo run --example policy_schema --features schema

# Regenerates pkg/types.generated.d.ts, the package's TypeScript data types, from the Rust types
# (`make test` fails while it is stale).
types:
	node scripts/types.mjs

fuzz:
	scripts/fuzz.sh 60

clean:
	cargo clean
	rm -rf pkg/gen node_modules

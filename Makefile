# The two commands of the README: `make demo` and `make test`. Both install what they need.
.PHONY: setup build demo test test-rust test-js bench fuzz clean

setup:
	scripts/setup.sh --browser

build: setup
	cargo build --release
	scripts/build.sh

demo: build
	node www/server.mjs

test: build
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo test
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet
	npx --no-install tsc -p tests/js/tsconfig.json
	node --test --test-reporter=spec tests/js/

bench: build
	cargo bench --bench engine
	node bench/node-bench.mjs

fuzz:
	scripts/fuzz.sh 60

clean:
	cargo clean
	rm -rf pkg/gen node_modules

// Copies the front-end packages coprod serves into static/vendor, and builds NHS.UK frontend's
// styles without its web-font link, so no page ever loads anything from another site.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const vendor = join(root, "static", "vendor");

rmSync(vendor, { recursive: true, force: true });
mkdirSync(vendor, { recursive: true });

const copies = [
  ["socket.io-client/dist/socket.io.min.js", "socket.io.min.js"],
  ["nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js", "nhsuk-frontend.min.js"],
  ["nhsuk-frontend/dist/nhsuk/assets", "nhsuk-assets"],
  ["axe-core/axe.min.js", "axe.min.js"],
];
for (const [from, to] of copies) {
  try {
    cpSync(join(modules, from), join(vendor, to), { recursive: true });
  } catch (error) {
    // axe-core is a development package: a production install leaves it out on purpose.
    if (!from.startsWith("axe-core")) throw error;
  }
}

const styles = sass.compileString(
  `@use "nhsuk-frontend/dist/nhsuk" with (
     $nhsuk-include-font-face: false,
     $nhsuk-font: arial,
     $nhsuk-assets-path: "/static/vendor/nhsuk-assets/"
   );`,
  { loadPaths: [modules], style: "compressed", quietDeps: true, silenceDeprecations: ["import"] },
);
writeFileSync(join(vendor, "nhsuk-frontend.min.css"), styles.css);
console.log("coprod: front-end packages copied to static/vendor");

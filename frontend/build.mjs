// Builds Safer's static assets from npm packages into src/safer/static/.
// Run with `npm run build` (after `npm ci`). Deliberately vendors no fonts,
// no crown/crest/logo and no favicon from govuk-frontend.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const here = path.dirname(fileURLToPath(import.meta.url))
const modules = path.join(here, 'node_modules')
const govukDist = path.join(modules, 'govuk-frontend', 'dist', 'govuk')
const htmxDist = path.join(modules, 'htmx.org', 'dist')
const staticDir = path.resolve(here, '..', 'src', 'safer', 'static')
const cssOut = path.join(staticDir, 'safer', 'css', 'safer.css')
const vendor = path.join(staticDir, 'vendor')
const govukOut = path.join(vendor, 'govuk-frontend')
const htmxOut = path.join(vendor, 'htmx')
// Must match $govuk-assets-path in safer.scss (Django STATIC_URL is /static/).
const assetsUrl = '/static/vendor/govuk-frontend/assets/'

const version = (pkg) =>
  JSON.parse(fs.readFileSync(path.join(modules, pkg, 'package.json'), 'utf8')).version

function fail (message) {
  console.error(`build: ${message}`)
  process.exit(1)
}

// govuk-frontend's npm package ships no licence file; this is its LICENSE.txt.
const GOVUK_LICENSE = `The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.

---
Vendored by Safer: only govuk-frontend.min.js (its sourceMappingURL comment
removed). The GDS Transport fonts, the crown, the royal crest, the GOV.UK logo
and the favicon/icons are deliberately excluded: they are reserved to GOV.UK.
`

// Start from a clean slate for everything this script owns.
fs.rmSync(govukOut, { recursive: true, force: true })
fs.rmSync(htmxOut, { recursive: true, force: true })
fs.mkdirSync(path.dirname(cssOut), { recursive: true })
fs.mkdirSync(govukOut, { recursive: true })
fs.mkdirSync(htmxOut, { recursive: true })

// 1. CSS
const result = sass.compile(path.join(here, 'safer.scss'), {
  style: 'compressed',
  sourceMap: false,
  importers: [new sass.NodePackageImporter(here)],
  quietDeps: true
})
const css = result.css.replace(/\/\*# sourceMappingURL=.*?\*\//g, '') + '\n'
for (const banned of [/@font-face/i, /GDS Transport/i, /fonts\//i]) {
  if (banned.test(css)) fail(`compiled CSS matches ${banned}: fonts must not be referenced`)
}
fs.writeFileSync(cssOut, css)

// 2. Images the CSS refers to (none expected): copy just those, never fonts
//    or anything carrying the crown.
const copiedAssets = []
for (const [, raw] of css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
  if (raw.startsWith('data:')) continue
  if (!raw.startsWith(assetsUrl)) fail(`unexpected url() in CSS: ${raw}`)
  const rel = raw.slice(assetsUrl.length).split(/[?#]/)[0]
  if (/(^|\/)fonts\/|crown|crest|logo|favicon|icon/i.test(rel)) {
    fail(`CSS refers to excluded asset ${rel}`)
  }
  const src = path.join(govukDist, 'assets', rel)
  if (!fs.existsSync(src)) fail(`CSS refers to missing asset ${rel}`)
  const dest = path.join(govukOut, 'assets', rel)
  fs.mkdirSync(path.dirname(dest), { recursive: true })
  fs.copyFileSync(src, dest)
  if (!copiedAssets.includes(rel)) copiedAssets.push(rel)
}

// 3. govuk-frontend JS (ES module) and licence. The source map is not
//    vendored, so drop its comment (Django's ManifestStaticFilesStorage
//    would otherwise fail on the missing .map).
const stripMap = (js) => js.replace(/\/\/# sourceMappingURL=\S+\s*$/, '').trimEnd() + '\n'
fs.writeFileSync(
  path.join(govukOut, 'govuk-frontend.min.js'),
  stripMap(fs.readFileSync(path.join(govukDist, 'govuk-frontend.min.js'), 'utf8'))
)
fs.writeFileSync(path.join(govukOut, 'LICENSE.txt'), GOVUK_LICENSE)

// 4. htmx
fs.writeFileSync(
  path.join(htmxOut, 'htmx.min.js'),
  stripMap(fs.readFileSync(path.join(htmxDist, 'htmx.min.js'), 'utf8'))
)
fs.copyFileSync(path.join(modules, 'htmx.org', 'LICENSE'), path.join(htmxOut, 'LICENSE.txt'))

// 5. VERSIONS.txt
const lines = [
  '# Vendored front-end packages (generated by frontend/build.mjs; do not edit)',
  `govuk-frontend ${version('govuk-frontend')} (MIT) govuk-frontend/govuk-frontend.min.js, LICENSE.txt`,
  `htmx.org ${version('htmx.org')} (0BSD) htmx/htmx.min.js, LICENSE.txt`,
  `sass ${version('sass')} (build tool only; compiled safer/css/safer.css)`,
  copiedAssets.length
    ? `govuk-frontend assets copied: ${copiedAssets.join(', ')}`
    : 'govuk-frontend assets copied: none (no fonts, crown, crest, logo or favicon)'
]
fs.writeFileSync(path.join(vendor, 'VERSIONS.txt'), lines.join('\n') + '\n')

console.log(`build: wrote ${path.relative(process.cwd(), cssOut)} (${css.length} bytes)`)
console.log(lines.slice(1).join('\n'))

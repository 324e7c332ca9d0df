// Reads {"manifest": {...}} or {"info": {...}} on stdin and parses it with @allmaps/iiif-parser
// (npm, Zod schemas of the IIIF Presentation and Image APIs). Prints what a client would use:
// the manifest's canvases, or every tile URL of an image service. Exits 1 on invalid input.
import { readFileSync } from "node:fs";
import { Image, Manifest } from "@allmaps/iiif-parser";

const input = JSON.parse(readFileSync(0, "utf8"));
const out = {};
try {
  if (input.manifest) {
    const manifest = Manifest.parse(input.manifest);
    out.manifest = {
      uri: manifest.uri,
      majorVersion: manifest.majorVersion,
      label: manifest.label,
      canvases: manifest.canvases.map((canvas) => ({
        uri: canvas.uri,
        label: canvas.label,
        width: canvas.width,
        height: canvas.height,
        image: canvas.image.uri,
        imageVersion: canvas.image.majorVersion,
        supportsAnyRegionAndSize: canvas.image.supportsAnyRegionAndSize,
      })),
    };
  }
  if (input.info) {
    const image = Image.parse(input.info);
    out.tiles = [];
    for (const level of image.tileZoomLevels) {
      for (let row = 0; row < level.rows; row++) {
        for (let column = 0; column < level.columns; column++) {
          out.tiles.push(image.getImageUrl(image.getTileImageRequest(level, column, row)));
        }
      }
    }
  }
} catch (error) {
  console.error(String(error && error.message ? error.message : error));
  process.exit(1);
}
console.log(JSON.stringify(out));

// thrift requires uuid, whose ESM-only build Jest cannot load (Node itself can). Parquet's Thrift
// structures have no UUID fields, so thrift never calls these under test; if it ever does, it says so.
function unavailable() {
  throw new Error('uuid is not loaded under Jest (ESM only); Parquet Thrift should never need it');
}
module.exports = { parse: unavailable, stringify: unavailable, v4: unavailable };

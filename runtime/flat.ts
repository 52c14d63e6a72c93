// A leaf of types: both call.ts and notify/meta.ts use Flat, and call.ts
// imports the notification parser's types, so Flat living in call.ts made an
// import circle (call.ts → notify/parse.ts → notify/meta.ts → call.ts).

/** Shows an intersection of request parts as one flat object in editor hovers. */
export type Flat<T> = { [K in keyof T]: T[K] } & {};

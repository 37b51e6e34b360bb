// `npm run generate` (make clients): src/client from the committed contract, deterministic.
import { defineConfig } from "@hey-api/openapi-ts";

export default defineConfig({
  input: "../../openapi.json",
  output: { path: "src/client" },
  // SDK functions are named after the operationIds: `users-create` -> usersCreate().
  plugins: ["@hey-api/client-fetch", "@hey-api/typescript", "@hey-api/sdk"],
});

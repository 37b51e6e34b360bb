// Runs once, when the MongoDB container starts with an empty data volume.
// Loads /seed/users.json (MongoDB Extended JSON) into the service's database; upserting by
// _id keeps it idempotent. Indexes are created by the service at start-up.
const fs = require("fs");

const dbName = process.env.MONGO_INITDB_DATABASE || "users_service";
const users = EJSON.parse(fs.readFileSync("/seed/users.json", "utf8"));
const target = db.getSiblingDB(dbName).getCollection("users");

const result = target.bulkWrite(
  users.map((user) => ({
    updateOne: { filter: { _id: user._id }, update: { $setOnInsert: user }, upsert: true },
  })),
  { ordered: false },
);
print(`users-service seed: ${result.upsertedCount} of ${users.length} users inserted into ${dbName}`);

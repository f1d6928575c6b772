#!/usr/bin/env node
console.log('senza');
